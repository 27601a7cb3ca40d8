#pragma once
// Transactions and liveness checks the service needs, kept here so fcgi/
// never writes SQL.

#include "sql/connection.hpp"

namespace vx::sql {

// One consistent view for a whole feed: REPEATABLE READ READ ONLY (works on
// hot-standby replicas and through PgBouncer in transaction mode). Rolled
// back unless committed; a read-only transaction has nothing to keep anyway.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Connection& c);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    void commit();

private:
    Connection& c_;
};

// A round trip to the server (SELECT 1); throws Error when it fails.
void ping(Connection& c);

}  // namespace vx::sql
