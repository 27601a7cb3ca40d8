#include "sql/api_keys.hpp"

#include <arpa/inet.h>

#include <fmt/format.h>

#include "sql/binary_row.hpp"

namespace vx::sql {
namespace {

constexpr Statement find_key{"find_api_key", R"sql(
SELECT k.id, k.user_id, k.secret::text, k.is_active, k.is_blocked, k.is_persistent_allowed,
       u.is_admin, u.is_deleted, u.is_blocked
  FROM video_export.api_keys k
  JOIN video_export.users u ON u.id = k.user_id
 WHERE k.token = $1::uuid
)sql"};

constexpr Statement record_usage{"record_key_usage", R"sql(
WITH locked AS (
    SELECT k.id FROM video_export.api_keys k WHERE k.id = ANY ($1::bigint[]) ORDER BY k.id FOR UPDATE
)
-- Workers flush independently: a batch that arrives late must not overwrite
-- the details of a later request (SET expressions all see the old row).
UPDATE video_export.api_keys k
   SET last_used_dt = CASE WHEN u.used_at >= coalesce(k.last_used_dt, '-infinity') THEN u.used_at ELSE k.last_used_dt END,
       last_used_ip = CASE WHEN u.used_at >= coalesce(k.last_used_dt, '-infinity') THEN NULLIF(u.ip, '')::inet ELSE k.last_used_ip END,
       last_used_uri = CASE WHEN u.used_at >= coalesce(k.last_used_dt, '-infinity') THEN u.uri ELSE k.last_used_uri END,
       last_used_auth = CASE WHEN u.used_at >= coalesce(k.last_used_dt, '-infinity') THEN u.authenticated ELSE k.last_used_auth END,
       use_count = k.use_count + u.requests
  FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::boolean[], $6::bigint[])
           AS u (id, used_at, ip, uri, authenticated, requests),
       locked
 WHERE k.id = u.id AND locked.id = u.id
)sql"};

bool is_ip_address(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace

std::optional<ApiKeyRecord> find_api_key(Connection& connection, std::string_view token) {
    const Result result = connection.exec(find_key, Params().add_text(token, oid::uuid));
    if (result.rows() == 0) return std::nullopt;
    const BinaryRow r(result, 0);
    ApiKeyRecord k;
    k.key_id = r.int8(0);
    k.user_id = r.int8(1);
    k.secret = std::string(r.text(2));
    k.is_active = r.boolean(3);
    k.is_blocked = r.boolean(4);
    k.is_persistent_allowed = r.boolean(5);
    k.user_is_admin = r.boolean(6);
    k.user_is_deleted = r.boolean(7);
    k.user_is_blocked = r.boolean(8);
    return k;
}

void UsageBatch::record(std::int64_t key_id, KeyUsage usage) {
    Pending& p = pending_[key_id];
    if (!is_ip_address(usage.ip)) usage.ip.clear();
    if (p.count == 0 || usage.used_at >= p.last.used_at) p.last = std::move(usage);
    ++p.count;
    ++requests_;
}

void UsageBatch::flush(Connection& connection) {
    if (pending_.empty()) return;
    std::vector<std::string> ids, times, ips, uris, auths, counts;
    for (const auto& [id, p] : pending_) {
        ids.push_back(std::to_string(id));
        append_timestamptz_text(times.emplace_back(), p.last.used_at);
        ips.push_back(p.last.ip);
        uris.push_back(p.last.uri);
        auths.push_back(p.last.authenticated ? "t" : "f");
        counts.push_back(std::to_string(p.count));
    }
    Params params;
    params.add_text_array(ids, oid::int8_array)
        .add_text_array(times, oid::timestamptz_array)
        .add_text_array(ips)
        .add_text_array(uris)
        .add_text_array(auths, oid::bool_array)
        .add_text_array(counts, oid::int8_array);
    connection.exec(record_usage, params);
    pending_.clear();
    requests_ = 0;
}

}  // namespace vx::sql
