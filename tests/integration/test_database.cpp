#include "tests/integration/test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>

#include "sql/migrations.hpp"

namespace vx::testing {
namespace {

std::string with_database(const std::string& dsn, const std::string& name) {
    return dsn + " dbname=" + name;  // libpq: the last value of a keyword wins
}

// Names the template after the migrations it holds, so a changed migration
// never reuses a stale template on a long-lived developer cluster.
std::string template_name() {
    std::size_t h = 0;
    for (const auto& m : sql::known_migrations()) h = h * 31 + std::hash<std::string_view>{}(m.sql);
    return fmt::format("vx_template_{:016x}", h);
}

void ensure_template(sql::Connection& admin) {
    static bool ready = false;
    if (ready) return;
    const std::string name = template_name();
    admin.exec("SELECT pg_advisory_lock(4242)");  // test processes take turns
    if (scalar(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == "0") {
        admin.exec("CREATE DATABASE " + name + "_building");
        {
            sql::Connection c = sql::Connection::open(with_database(cluster_dsn(), name + "_building"));
            sql::migrate(c);
        }
        admin.exec("ALTER DATABASE " + name + "_building RENAME TO " + name);
    }
    admin.exec("SELECT pg_advisory_unlock(4242)");
    ready = true;
}

}  // namespace

std::string cluster_dsn() {
    const char* file = std::getenv("VIDEO_EXPORT_TEST_DSN_FILE");
    if (!file) throw std::runtime_error("VIDEO_EXPORT_TEST_DSN_FILE is not set: run the tests through ctest");
    std::ifstream in(file);
    std::string dsn;
    if (!std::getline(in, dsn) || dsn.empty())
        throw std::runtime_error(std::string("no DSN in ") + file + ": is the pg fixture running?");
    return dsn;
}

std::string scalar(sql::Connection& c, const std::string& query) {
    const sql::Result r = c.exec(query);
    if (r.rows() != 1) throw std::runtime_error("expected one row from: " + query);
    return std::string(r.bytes(0, 0));
}

TestDatabase::TestDatabase(Schema schema, std::string encoding) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("vx_test_{}_{}", ::getpid(), counter++);
    sql::Connection admin = sql::Connection::open(cluster_dsn());
    if (schema == Schema::migrated && encoding == "UTF8") {
        ensure_template(admin);
        admin.exec("CREATE DATABASE " + name_ + " TEMPLATE " + template_name());
    } else {
        admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0 ENCODING '{}' LC_COLLATE 'C' LC_CTYPE 'C'",
                               name_, encoding));
        if (schema == Schema::migrated) {
            sql::Connection c = connect();
            sql::migrate(c);
        }
    }
}

TestDatabase::~TestDatabase() {
    try {
        sql::Connection admin = sql::Connection::open(cluster_dsn());
        admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The cluster is thrown away after the run anyway.
    }
}

std::string TestDatabase::dsn() const { return with_database(cluster_dsn(), name_); }

sql::Connection TestDatabase::connect(sql::StatementMode mode) const { return sql::Connection::open(dsn(), mode); }

}  // namespace vx::testing
