#pragma once
// UTF-8 decoding shared by the query parser, the calendar writer and the JSON
// writer. Invalid input is never passed through: each maximal ill-formed
// subpart (Unicode §3.9, the practice Python's errors="replace" follows)
// becomes one U+FFFD.

#include <cstddef>
#include <string>
#include <string_view>

namespace vx::utf8 {

inline constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

struct Step {
    char32_t code_point;  // U+FFFD when !valid
    std::size_t length;   // bytes consumed, >= 1
    bool valid;
};

// Decodes the sequence starting at s[pos] (pos < s.size()).
Step decode(std::string_view s, std::size_t pos) noexcept;

bool is_valid(std::string_view s) noexcept;

// s with every ill-formed subpart replaced by U+FFFD.
std::string sanitize(std::string_view s);

// Appends the UTF-8 encoding of cp (a Unicode scalar value).
void append(std::string& out, char32_t cp);

}  // namespace vx::utf8
