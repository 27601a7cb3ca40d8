#pragma once
// Deterministic, realistic demo and benchmark data, loaded with COPY: a
// category tree using every protection mode with ACLs, users with API keys,
// events and bookings of all five CERN services in every status, titles in
// several scripts and titles that need escaping and folding. The same seed
// and anchor day give the same rows.

#include <cstdint>
#include <string>

#include "core/time_format.hpp"
#include "sql/connection.hpp"

namespace vx::sql {

struct DemoOptions {
    std::int64_t events = 1000;
    std::int64_t bookings = 5000;
    std::uint64_t seed = 1;
    Timestamp anchor{};  // bookings spread over ±1 year around this instant
};

struct DemoSummary {
    std::int64_t users = 0, categories = 0, events = 0, bookings = 0;
    // The demo user: a regular account with ACL entries and persistent links allowed.
    std::string demo_token, demo_secret;
    // An administrator, who sees everything.
    std::string admin_token, admin_secret;
};

// Refuses (Error) a database that already holds events: demo data is for
// fresh databases only, never mixed into a real site's.
DemoSummary load_demo_data(Connection& connection, const DemoOptions& options);

}  // namespace vx::sql
