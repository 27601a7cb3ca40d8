#pragma once
// Small writers for tests: insert rows the way another application would,
// naming only the contract's columns. Values are the tests' own.

#include <cstdint>
#include <optional>
#include <string>

#include "sql/connection.hpp"
#include "tests/integration/test_database.hpp"

namespace vx::testing {

class Seed {
public:
    explicit Seed(sql::Connection& c) : c_(c) {}

    std::int64_t user(bool admin = false, bool deleted = false, bool blocked = false);
    std::int64_t category(std::optional<std::int64_t> parent, const std::string& mode = "inheriting");
    std::int64_t event(std::int64_t category, const std::string& start, const std::string& end,
                       const std::string& mode = "inheriting", const std::string& title = "Event");
    // start/end: SQL literals or "NULL"; status: 'pending'... or "NULL".
    std::int64_t booking(std::int64_t event, const std::string& type, const std::string& start,
                         const std::string& end, const std::string& status = "NULL",
                         const std::string& title = "'Booking'");
    void grant_category(std::int64_t category, std::int64_t user);
    void grant_event(std::int64_t event, std::int64_t user);
    std::int64_t root() { return root_ ? *root_ : *(root_ = category(std::nullopt, "public")); }

private:
    std::int64_t insert(const std::string& sql);
    sql::Connection& c_;
    std::optional<std::int64_t> root_;
};

}  // namespace vx::testing
