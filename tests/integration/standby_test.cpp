// The read path on a real hot standby (DESIGN.md §6, §9): a streaming replica
// of the suite's cluster, made by tests/pg/standby.sh, answers every query
// the service reads with exactly what the primary answers, in both statement
// modes and in a REPEATABLE READ READ ONLY transaction; usage recording, the
// one write, fails there with 25006 (not as a lost connection) and goes to the
// primary (config database.write_dsn), from where it replicates back.
//
// The script is tests/pg/standby.sh of this source tree, or
// $VIDEO_EXPORT_STANDBY_SCRIPT when set. It needs the primary's state
// directory: the one holding $VIDEO_EXPORT_TEST_DSN_FILE.

#include <catch2/catch.hpp>

#include <stdlib.h>  // mkdtemp

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "core/time_format.hpp"
#include "sql/api_keys.hpp"
#include "sql/booking_query.hpp"
#include "sql/catalogue_store.hpp"
#include "sql/demo_data.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::Seed;
using vx::testing::TestDatabase;
namespace fs = std::filesystem;

namespace {

constexpr auto anchor = Timestamp{std::chrono::seconds{1796083200}};  // 2026-12-01T00:00:00Z
// Generous: the standby replays everything the suite writes, and under
// `ctest -j` other tests copy whole databases; waits end as soon as the
// change is there (alone, within milliseconds).
constexpr auto replication_timeout = std::chrono::seconds{60};

fs::path standby_script() {
    if (const char* s = std::getenv("VIDEO_EXPORT_STANDBY_SCRIPT"); s && *s) return s;
    return fs::path(__FILE__).parent_path().parent_path() / "pg" / "standby.sh";
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (const char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A hot standby of the suite's cluster while it lives; stopped and deleted by
// the destructor, also when a check fails or throws. Declare it after the
// TestDatabase: the database is dropped on the primary once the standby is gone.
class Standby {
public:
    Standby() {
        const char* dsn_file = std::getenv("VIDEO_EXPORT_TEST_DSN_FILE");
        if (!dsn_file) throw std::runtime_error("VIDEO_EXPORT_TEST_DSN_FILE is not set: run the tests through ctest");
        std::string dir = (fs::temp_directory_path() / "vx-standby-test.XXXXXX").string();
        if (!::mkdtemp(dir.data())) throw std::runtime_error("mkdtemp " + dir + " failed");
        dir_ = dir;
        try {
            run("start " + shell_quote(fs::path(dsn_file).parent_path().string()) + " " + shell_quote(state()));
            std::ifstream in(fs::path(state()) / "dsn");
            if (!std::getline(in, dsn_) || dsn_.empty()) throw std::runtime_error("standby.sh wrote no dsn");
        } catch (...) {
            stop();
            throw;
        }
    }
    ~Standby() { stop(); }
    Standby(const Standby&) = delete;
    Standby& operator=(const Standby&) = delete;

    // The end of the standby's server log, for failure messages.
    std::string log_tail() const {
        std::ifstream in(fs::path(state()) / "logfile");
        std::string path;
        if (!std::getline(in, path)) return "(no server log)";
        const std::string text = file_text(path);
        return text.size() > 4000 ? "..." + text.substr(text.size() - 4000) : text;
    }

    sql::Connection connect(const std::string& database,
                            sql::StatementMode mode = sql::StatementMode::prepared) const {
        return sql::Connection::open(dsn_ + " dbname=" + database, mode);
    }

private:
    std::string state() const { return (dir_ / "state").string(); }
    fs::path log() const { return dir_ / "standby.sh.log"; }

    void run(const std::string& args) const {
        const std::string command =
            shell_quote(standby_script().string()) + " " + args + " >>" + shell_quote(log().string()) + " 2>&1";
        const int status = std::system(command.c_str());
        if (status != 0)
            throw std::runtime_error("`" + command + "` failed (status " + std::to_string(status) + "):\n" +
                                     file_text(log()));
    }

    void stop() noexcept {
        if (dir_.empty()) return;
        try {
            run("stop " + shell_quote(state()));
        } catch (const std::exception& e) {
            // Kept for a post-mortem; `standby.sh sweep` still finds the cluster.
            std::cerr << "standby_test: stopping the standby failed, keeping " << dir_ << ": " << e.what() << '\n';
            return;
        }
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
        dir_.clear();
    }

    fs::path dir_;
    std::string dsn_;
};

template <class Condition>
bool eventually(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + replication_timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    return true;
}

// Waits until the standby has replayed everything the primary wrote so far;
// says where replication stands when it has not.
bool caught_up(sql::Connection& primary, sql::Connection& standby, const Standby& server) {
    const std::string lsn = scalar(primary, "SELECT pg_current_wal_lsn()");
    if (eventually([&] { return scalar(standby, "SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn") == "t"; }))
        return true;
    UNSCOPED_INFO("primary at " << lsn << "; standby received/replayed/receiver: "
                  << scalar(standby, "SELECT pg_last_wal_receive_lsn() || ' ' || pg_last_wal_replay_lsn() || ' ' || "
                                     "coalesce((SELECT status FROM pg_stat_wal_receiver), 'no walreceiver')")
                  << "\nstandby log:\n" << server.log_tail());
    return false;
}

std::string text(std::optional<std::string_view> v) { return v ? "'" + std::string(*v) + "'" : "NULL"; }
std::string text(std::optional<Timestamp> t) { return t ? iso_utc(*t) : "NULL"; }

// Every field, so that "the same rows" means the same values too. Starts with the id.
std::string describe(const BookingRow& r) {
    std::ostringstream out;
    out << r.id << " event=" << r.event_id << " service=" << (r.service ? r.service->type : "?")
        << " status=" << text(r.status) << " title=" << text(r.title) << " event_title=" << text(r.event_title)
        << " start=" << text(r.start) << " end=" << text(r.end) << " event_start=" << iso_utc(r.event_start)
        << " event_end=" << iso_utc(r.event_end) << " created=" << iso_utc(r.created)
        << " modified=" << iso_utc(r.modified) << " sequence=" << r.sequence << " location=" << text(r.location)
        << " room=" << text(r.room) << " audience=" << text(r.audience);
    return out.str();
}

std::string describe(const ServiceCatalogue& catalogue) {
    std::string out;
    for (const Service& s : catalogue.services())
        out += s.slug + "/" + s.type + "/" + (s.summary_prefix ? "'" + *s.summary_prefix + "'" : "NULL") + "/" +
               (s.has_accept_reject ? "accept-reject" : "-") + "/" + (s.is_retired ? "retired" : "-") + "\n";
    return out;
}

std::string describe(const std::optional<ApiKeyRecord>& k) {
    if (!k) return "no such key";
    std::ostringstream out;
    out << k->key_id << " user=" << k->user_id << " secret=" << k->secret << " active=" << k->is_active
        << " blocked=" << k->is_blocked << " persistent=" << k->is_persistent_allowed
        << " admin=" << k->user_is_admin << " deleted=" << k->user_is_deleted << " user_blocked=" << k->user_is_blocked;
    return out.str();
}

std::string describe(const sql::DataVersion& v) { return std::to_string(v.version) + " " + iso_utc(v.changed_at); }

// The feed of one viewer over a week, as the service reads it.
struct Feed {
    std::int64_t viewer = 0;

    std::vector<std::string> rows(sql::Connection& c) const {
        const ServiceCatalogue catalogue = sql::load_catalogue(c);
        sql::BookingQuery q;
        for (const Service& s : catalogue.services()) q.service_types.push_back(s.type);
        q.window = {anchor, anchor + std::chrono::days{7}};
        q.viewer_user_id = viewer;
        std::vector<std::string> out;
        const auto n = sql::select_bookings(c, q, catalogue, [&](const BookingRow& r) { out.push_back(describe(r)); });
        CHECK(n == std::int64_t(out.size()));
        return out;
    }
};

std::string key_column(sql::Connection& c, std::int64_t key, const std::string& column) {
    return scalar(c, "SELECT " + column + " FROM video_export.api_keys WHERE id = " + std::to_string(key));
}

}  // namespace

TEST_CASE("a hot standby answers every read of the service exactly as the primary does") {
    TestDatabase db;
    sql::Connection primary = db.connect();
    sql::Connection primary_unnamed = db.connect(sql::StatementMode::unnamed);
    const sql::DemoSummary demo = sql::load_demo_data(primary, {300, 3000, 11, anchor});
    Seed seed(primary);
    const std::string token = scalar(primary, "INSERT INTO video_export.api_keys (user_id, is_persistent_allowed) "
                                              "VALUES (" + std::to_string(seed.user()) + ", true) RETURNING token");

    const Standby standby;
    sql::Connection replica = standby.connect(db.name());
    sql::Connection replica_unnamed = standby.connect(db.name(), sql::StatementMode::unnamed);
    REQUIRE(caught_up(primary, replica, standby));

    CHECK(scalar(replica, "SELECT pg_is_in_recovery()") == "t");
    CHECK(scalar(replica_unnamed, "SELECT pg_is_in_recovery()") == "t");
    CHECK(scalar(primary, "SELECT pg_is_in_recovery()") == "f");

    // Data version, catalogue, keys, feed: the same, in both statement modes.
    const std::string version = describe(sql::read_data_version(primary));
    CHECK(describe(sql::read_data_version(replica)) == version);
    CHECK(describe(sql::read_data_version(replica_unnamed)) == version);

    const std::string catalogue = describe(sql::load_catalogue(primary));
    CHECK(sql::load_catalogue(primary).services().size() == 5);
    CHECK(describe(sql::load_catalogue(replica)) == catalogue);
    CHECK(describe(sql::load_catalogue(replica_unnamed)) == catalogue);

    for (const std::string& t : {demo.demo_token, demo.admin_token, token,
                                 std::string("00000000-0000-4000-8000-000000000000")}) {
        INFO("token " << t);
        const std::string key = describe(sql::find_api_key(primary, t));
        CHECK(describe(sql::find_api_key(replica, t)) == key);
        CHECK(describe(sql::find_api_key(replica_unnamed, t)) == key);
    }
    CHECK(sql::find_api_key(replica, token));

    const auto demo_key = sql::find_api_key(primary, demo.demo_token);
    REQUIRE(demo_key);
    REQUIRE_FALSE(demo_key->user_is_admin);
    const Feed feed{demo_key->user_id};
    const std::vector<std::string> rows = feed.rows(primary);
    REQUIRE_FALSE(rows.empty());
    CHECK(feed.rows(primary_unnamed) == rows);
    CHECK(feed.rows(replica) == rows);
    CHECK(feed.rows(replica_unnamed) == rows);

    SECTION("a REPEATABLE READ READ ONLY transaction keeps its snapshot while the standby replays changes") {
        replica.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        CHECK(replica.in_transaction());
        const sql::DataVersion before = sql::read_data_version(replica);
        CHECK(feed.rows(replica) == rows);

        // hot_standby_feedback: the primary learns the snapshot's xmin through
        // the standby's slot and keeps the row versions it sees, so replaying
        // the change below neither cancels this transaction nor waits for it.
        const std::string slot = scalar(replica_unnamed, "SHOW primary_slot_name");
        const std::string xmin = scalar(replica, "SELECT pg_snapshot_xmin(pg_current_snapshot())");
        CHECK(eventually([&] {
            return scalar(primary, "SELECT coalesce(xmin::text::bigint <= " + xmin +
                                   ", false) FROM pg_replication_slots WHERE slot_name = '" + slot + "'") == "t";
        }));

        // A change on the primary that alters the feed bumps the version...
        const std::string changed = std::to_string(std::stoll(rows.front()));
        primary.exec("UPDATE video_export.bookings SET title = 'Changed on the primary' WHERE id = " + changed);
        const sql::DataVersion bumped = sql::read_data_version(primary);
        CHECK(bumped.version > before.version);

        // ...which shows on the standby outside the transaction...
        CHECK(eventually([&] { return sql::read_data_version(replica_unnamed).version == bumped.version; }));
        CHECK(describe(sql::read_data_version(replica_unnamed)) == describe(bumped));
        const std::vector<std::string> new_rows = feed.rows(primary);
        CHECK(new_rows != rows);
        CHECK(new_rows.front().find("title='Changed on the primary'") != std::string::npos);
        CHECK(feed.rows(replica_unnamed) == new_rows);

        // ...but not inside it: one snapshot for the whole request.
        CHECK(describe(sql::read_data_version(replica)) == describe(before));
        CHECK(feed.rows(replica) == rows);
        replica.exec("COMMIT");
        CHECK_FALSE(replica.in_transaction());
        CHECK(describe(sql::read_data_version(replica)) == describe(bumped));
        CHECK(feed.rows(replica) == new_rows);
    }
}

TEST_CASE("usage recording fails on a hot standby and goes to the primary (database.write_dsn)") {
    TestDatabase db;
    sql::Connection primary = db.connect();
    Seed seed(primary);
    const std::string token = scalar(primary, "INSERT INTO video_export.api_keys (user_id) VALUES (" +
                                                  std::to_string(seed.user()) + ") RETURNING token");
    const auto key = sql::find_api_key(primary, token);
    REQUIRE(key);

    const Standby standby;
    sql::Connection replica = standby.connect(db.name());
    sql::Connection replica_unnamed = standby.connect(db.name(), sql::StatementMode::unnamed);
    REQUIRE(caught_up(primary, replica, standby));
    const sql::DataVersion version = sql::read_data_version(primary);

    const auto t0 = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    sql::UsageBatch batch;
    batch.record(key->key_id, {t0, "192.0.2.10", "/export/video/all.ics", true});
    batch.record(key->key_id, {t0 + std::chrono::seconds{1}, "192.0.2.11", "/export/video/vidyo.ics", false});

    for (sql::Connection* c : {&replica, &replica_unnamed}) {
        try {
            batch.flush(*c);
            FAIL("usage recording succeeded on a hot standby");
        } catch (const sql::Error& e) {
            INFO(e.what());
            CHECK(e.sqlstate() == "25006");  // read_only_sql_transaction
            CHECK_FALSE(e.connection_lost());  // no reconnect, no 503: a configuration error
        }
        CHECK(batch.requests() == 2);  // a failed flush loses nothing
        // The session is still usable.
        CHECK(c->healthy());
        CHECK_FALSE(c->in_transaction());
        CHECK(key_column(*c, key->key_id, "use_count") == "0");
    }

    batch.flush(primary);
    CHECK(batch.empty());
    CHECK(key_column(primary, key->key_id, "use_count") == "2");
    CHECK(eventually([&] { return key_column(replica, key->key_id, "use_count") == "2"; }));
    CHECK(key_column(replica_unnamed, key->key_id, "last_used_uri || ' ' || host(last_used_ip) || ' ' || last_used_auth") ==
          "/export/video/vidyo.ics 192.0.2.11 false");
    // Usage does not invalidate cached feeds, on either side.
    CHECK(sql::read_data_version(primary).version == version.version);
    CHECK(sql::read_data_version(replica).version == version.version);
}
