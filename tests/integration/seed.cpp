#include "tests/integration/seed.hpp"

#include <fmt/format.h>

namespace vx::testing {

std::int64_t Seed::insert(const std::string& sql) { return std::stoll(scalar(c_, sql + " RETURNING id")); }

std::int64_t Seed::user(bool admin, bool deleted, bool blocked) {
    return insert(fmt::format(
        "INSERT INTO video_export.users (email, full_name, is_admin, is_deleted, is_blocked) "
        "VALUES ('u@example.org', 'U', {}, {}, {})",
        admin, deleted, blocked));
}

std::int64_t Seed::category(std::optional<std::int64_t> parent, const std::string& mode) {
    return insert(fmt::format("INSERT INTO video_export.categories (parent_id, title, protection_mode) "
                              "VALUES ({}, 'C', '{}')",
                              parent ? std::to_string(*parent) : "NULL", mode));
}

std::int64_t Seed::event(std::int64_t category, const std::string& start, const std::string& end,
                         const std::string& mode, const std::string& title) {
    return insert(fmt::format(
        "INSERT INTO video_export.events (category_id, title, start_dt, end_dt, protection_mode) "
        "VALUES ({}, '{}', '{}', '{}', '{}')",
        category, title, start, end, mode));
}

std::int64_t Seed::booking(std::int64_t event, const std::string& type, const std::string& start,
                           const std::string& end, const std::string& status, const std::string& title) {
    const auto literal = [](const std::string& v) { return v == "NULL" ? v : "'" + v + "'"; };
    return insert(fmt::format(
        "INSERT INTO video_export.bookings (event_id, service_type, status, title, start_dt, end_dt) "
        "VALUES ({}, '{}', {}, {}, {}, {})",
        event, type, literal(status), title, literal(start), literal(end)));
}

void Seed::grant_category(std::int64_t category, std::int64_t user) {
    c_.exec(fmt::format("INSERT INTO video_export.category_acl VALUES ({}, {})", category, user));
}

void Seed::grant_event(std::int64_t event, std::int64_t user) {
    c_.exec(fmt::format("INSERT INTO video_export.event_acl VALUES ({}, {})", event, user));
}

}  // namespace vx::testing
