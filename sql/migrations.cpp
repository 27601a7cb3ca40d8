#include "sql/migrations.hpp"

#include <string>

namespace vx::sql {
namespace {

// pg_advisory_lock key: "vxmg". Any value works as long as every
// video-export agrees on it.
constexpr std::string_view lock_sql = "SELECT pg_advisory_lock(1987277159)";
constexpr std::string_view unlock_sql = "SELECT pg_advisory_unlock(1987277159)";

constexpr Statement record_migration{
    "record_migration", "INSERT INTO video_export.schema_migrations (version, name) VALUES ($1::bigint, $2)"};

class AdvisoryLock {
public:
    explicit AdvisoryLock(Connection& c) : c_(c) { c_.exec(lock_sql); }
    ~AdvisoryLock() {
        try {
            if (c_.in_transaction()) c_.exec("ROLLBACK");  // a failed migration leaves it open
            c_.exec(unlock_sql);
        } catch (...) {
            // The lock is released with the session anyway.
        }
    }
    AdvisoryLock(const AdvisoryLock&) = delete;
    AdvisoryLock& operator=(const AdvisoryLock&) = delete;

private:
    Connection& c_;
};

}  // namespace

int schema_version(Connection& c) {
    const Result exists = c.exec("SELECT to_regclass('video_export.schema_migrations') IS NOT NULL");
    if (exists.bytes(0, 0) != "t") return 0;
    const Result r = c.exec("SELECT coalesce(max(version), 0) FROM video_export.schema_migrations");
    return std::stoi(std::string(r.bytes(0, 0)));
}

MigrationReport migrate(Connection& c) {
    const auto& migrations = known_migrations();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    AdvisoryLock lock(c);
    c.exec(
        "CREATE SCHEMA IF NOT EXISTS video_export;"
        "CREATE TABLE IF NOT EXISTS video_export.schema_migrations ("
        "  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");

    MigrationReport report;
    report.from_version = schema_version(c);
    if (report.from_version > latest)
        throw Error("database schema version " + std::to_string(report.from_version) +
                    " is newer than this video-export knows (" + std::to_string(latest) +
                    "); upgrade video-export before using this database");
    for (const Migration& m : migrations) {
        if (m.version <= report.from_version) continue;
        c.exec("BEGIN");
        try {
            c.exec(m.sql);
        } catch (const Error& e) {
            throw Error("migration " + std::string(m.name) + ": " + e.what(), e.sqlstate(), e.connection_lost());
        }
        c.exec(record_migration, Params().add(std::int64_t(m.version)).add_text(m.name));
        c.exec("COMMIT");
        report.applied.push_back(m.version);
    }
    report.to_version = report.applied.empty() ? report.from_version : report.applied.back();
    return report;
}

}  // namespace vx::sql
