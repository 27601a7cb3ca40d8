#pragma once
// One RFC 5545 content line (§3.1), written into a buffer as it is built:
// folded so no physical line exceeds 75 octets (a continuation line starts
// with one space, which counts), never inside a UTF-8 sequence and never
// between a backslash and the character it escapes (naive unfolders split
// there). Values are sanitised on the way: invalid UTF-8 becomes U+FFFD, C0
// controls other than TAB, DEL and C1 controls are dropped.

#include <string>
#include <string_view>

namespace vx::ical {

inline constexpr std::size_t max_line_octets = 75;

class ContentLine {
public:
    // Writes "NAME" (with any parameters, e.g. "TRIGGER" or
    // "REFRESH-INTERVAL;VALUE=DURATION") and the colon.
    ContentLine(std::string& out, std::string_view name_and_params);

    // A TEXT value (§3.3.11): '\' ';' ',' escaped, CR LF / CR / LF as "\n".
    ContentLine& text(std::string_view value);
    // A value written as is (dates, numbers, URIs); line breaks are dropped.
    ContentLine& raw(std::string_view value);

    // Ends the line with CRLF.
    void end();

private:
    void value(std::string_view v, bool escape);
    void put(const char* bytes, std::size_t n);           // one unit, never split
    void put_run(const char* bytes, std::size_t n);       // single-octet units

    std::string& out_;
    std::size_t column_ = 0;  // octets on the current physical line
};

// The whole property "NAME:escaped TEXT\r\n".
void text_property(std::string& out, std::string_view name, std::string_view value);

}  // namespace vx::ical
