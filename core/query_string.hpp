#pragma once
// The raw query string as pairs. Split on '&' only (not ';'), each name and
// value decoded; all pairs are kept in order because signing needs every one
// of them, while reading a parameter takes the first value (DESIGN.md §3).

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vx {

struct QueryPair {
    std::string name;
    std::string value;
};

class QueryString {
public:
    static QueryString parse(std::string_view raw);

    const std::vector<QueryPair>& pairs() const noexcept { return pairs_; }

    // True when an escape or the UTF-8 of some pair was invalid. Authentication
    // still runs on the leniently decoded pairs; the parameter stage refuses.
    bool malformed() const noexcept { return malformed_; }

    // First value of the first name in `names` that is present (names are
    // case-sensitive; aliases are listed in order of preference).
    std::optional<std::string_view> first(std::initializer_list<std::string_view> names) const;
    std::optional<std::string_view> first(std::string_view name) const { return first({name}); }

private:
    std::vector<QueryPair> pairs_;
    bool malformed_ = false;
};

}  // namespace vx
