#include "core/route.hpp"

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace vx {
namespace {

constexpr std::string_view export_root = "/export/video/";

bool is_slug_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

[[noreturn]] void no_such_export() { not_found("Not found"); }

}  // namespace

std::optional<std::string_view> strip_mount_prefix(std::string_view path, std::string_view mount_prefix) {
    while (!mount_prefix.empty() && mount_prefix.back() == '/') mount_prefix.remove_suffix(1);
    if (!path.starts_with(mount_prefix)) return std::nullopt;
    const std::string_view rest = path.substr(mount_prefix.size());
    if (!rest.empty() && rest.front() != '/') return std::nullopt;  // "/indicox/..."
    return rest;
}

ExportRoute parse_export_route(std::string_view api_path) {
    if (!api_path.starts_with(export_root)) no_such_export();
    const std::string_view leaf = api_path.substr(export_root.size());
    const auto dot = leaf.find('.');
    if (dot == std::string_view::npos) no_such_export();

    ExportRoute route;
    std::string_view ids = leaf.substr(0, dot);
    // Every '-'-separated segment must be a non-empty run of word characters:
    // this also rejects "vidyo--evo", a leading/trailing '-', and any '/'.
    for (;;) {
        const auto dash = ids.find('-');
        const std::string_view slug = ids.substr(0, dash);
        if (slug.empty()) no_such_export();
        for (const char c : slug)
            if (!is_slug_char(c)) no_such_export();
        route.slugs.emplace_back(slug);
        if (dash == std::string_view::npos) break;
        ids.remove_prefix(dash + 1);
    }

    const std::string_view type = leaf.substr(dot + 1);
    if (type == "ics") route.format = FeedFormat::ics;
    else if (type == "json") route.format = FeedFormat::json;
    else not_found("Unsupported format '" + utf8::sanitize(type) + "'; this export serves ics and json");
    route.api_path = std::string(api_path);
    return route;
}

}  // namespace vx
