#include "core/query_string.hpp"

#include "core/form_encoding.hpp"

namespace vx {

QueryString QueryString::parse(std::string_view raw) {
    QueryString q;
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const std::string_view piece = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
        if (piece.empty()) continue;  // "a=1&&b=2"
        // A pair without '=' has an empty value, as Python's parse_qsl reads it.
        const auto eq = piece.find('=');
        auto name = form::decode(piece.substr(0, eq));
        auto value = form::decode(eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1));
        q.malformed_ = q.malformed_ || name.malformed || value.malformed;
        q.pairs_.push_back({std::move(name.text), std::move(value.text)});
    }
    return q;
}

std::optional<std::string_view> QueryString::first(std::initializer_list<std::string_view> names) const {
    for (const std::string_view name : names)
        for (const QueryPair& p : pairs_)
            if (p.name == name) return std::string_view{p.value};
    return std::nullopt;
}

}  // namespace vx
