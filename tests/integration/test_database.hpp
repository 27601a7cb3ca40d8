#pragma once
// A fresh database per test on the suite's own PostgreSQL cluster (started by
// the `pg` CTest fixture, tests/pg/cluster.sh), dropped when the test ends.
// Migrated databases are cloned from a template migrated once per schema, so
// each test starts from the real migrations in milliseconds.

#include <string>

#include "sql/connection.hpp"

namespace vx::testing {

// The cluster's maintenance DSN, read from $VIDEO_EXPORT_TEST_DSN_FILE.
std::string cluster_dsn();

class TestDatabase {
public:
    enum class Schema { migrated, empty };
    explicit TestDatabase(Schema schema = Schema::migrated, std::string encoding = "UTF8");
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& name() const noexcept { return name_; }
    std::string dsn() const;
    sql::Connection connect(sql::StatementMode mode = sql::StatementMode::prepared) const;

private:
    std::string name_;
};

// A one-value query, as text.
std::string scalar(sql::Connection& c, const std::string& query);

}  // namespace vx::testing
