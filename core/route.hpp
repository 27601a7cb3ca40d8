#pragma once
// Request path → what is asked for: {mount}/export/video/SERVICE_ID.TYPE.
// Only the shape is checked here (404s); whether the slugs exist is a
// parameter question answered later by the service catalogue (400), because
// the contract orders path/type, method, authentication, then parameters.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vx {

enum class FeedFormat { ics, json };

struct ExportRoute {
    std::vector<std::string> slugs;  // as written, in URL order, duplicates kept
    FeedFormat format;
    std::string api_path;  // the path below the mount prefix: what clients sign
};

// The path below `mount_prefix` ("" or "/indico"), or nothing when the path
// is not under it. The prefix matches whole segments only.
std::optional<std::string_view> strip_mount_prefix(std::string_view path, std::string_view mount_prefix);

// Throws RequestError 404 for a path that is not an export URL or names an
// unsupported format.
ExportRoute parse_export_route(std::string_view api_path);

}  // namespace vx
