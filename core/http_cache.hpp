#pragma once
// HTTP validators for feeds (DESIGN.md §7): the strong ETag, Last-Modified,
// and the conditional-request decision, kept pure so the rules are tested
// without a server. Calendar clients poll for years: most polls should end
// in a 304 that never touches the bookings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/query_string.hpp"
#include "core/time_format.hpp"

namespace vx {

// The query with everything that does not change the answer removed: the
// credentials (ak, apikey, signature, timestamp) and the cache bypass
// (nocache, nc), in canonical form A. A persistent and a timestamped URL of
// the same query share it, and so share the ETag and the cached bytes.
std::string canonical_feed_query(const QueryString& query);

struct EtagInputs {
    std::int64_t data_version = 0;
    std::int64_t user_id = 0;
    std::string_view api_path;        // /export/video/SLUGS.TYPE
    std::string_view canonical_query;  // canonical_feed_query()
    std::string_view config_fingerprint;  // settings that shape the bytes (prodid, names, templates, ...)
};

// A strong entity tag: "\"" + hex SHA-1 of the inputs + "\"".
std::string feed_etag(const EtagInputs& inputs);

// IMF-fixdate, "Fri, 04 Dec 2026 20:15:03 GMT" (whole seconds, truncated).
std::string http_date(Timestamp t);
// IMF-fixdate, and the obsolete RFC 850 and asctime forms RFC 9110 requires
// recipients to accept. nullopt when the text is none of them.
std::optional<Timestamp> parse_http_date(std::string_view text);

// RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison, "*"
// matches); otherwise If-Modified-Since, at one-second resolution.
bool is_not_modified(std::optional<std::string_view> if_none_match, std::optional<std::string_view> if_modified_since,
                     std::string_view etag, Timestamp last_modified);

}  // namespace vx
