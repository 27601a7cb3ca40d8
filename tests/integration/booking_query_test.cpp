// The feed query against a real database: window, order, paging, services,
// categories and exclusions (DESIGN.md §3, §4, §6).

#include <catch2/catch.hpp>

#include <date/date.h>

#include <cstdio>

#include "core/ics_writer.hpp"
#include "core/utf8.hpp"
#include "sql/booking_query.hpp"
#include "sql/catalogue_store.hpp"
#include "tests/integration/seed.hpp"

using namespace vx;
using vx::testing::scalar;
using vx::testing::Seed;
using vx::testing::TestDatabase;
using Ids = std::vector<std::int64_t>;

namespace {

Timestamp at(const char* iso) {  // "2026-01-01T10:00:00", UTC
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    REQUIRE(std::sscanf(iso, "%d-%u-%uT%u:%u:%u", &y, &mo, &d, &h, &mi, &sec) == 6);
    return Timestamp{date::sys_days{date::year{y} / mo / d}.time_since_epoch() + std::chrono::hours{h} +
                     std::chrono::minutes{mi} + std::chrono::seconds{sec}};
}

struct Fixture {
    TestDatabase db;
    sql::Connection c = db.connect();
    Seed seed{c};
    std::int64_t admin = seed.user(true);

    sql::BookingQuery query(std::vector<std::string> types = {"Vidyo"}) {
        sql::BookingQuery q;
        q.service_types = std::move(types);
        q.viewer_user_id = admin;
        q.viewer_is_admin = true;
        return q;
    }
    Ids ids(const sql::BookingQuery& q) {
        Ids out;
        const ServiceCatalogue cat = sql::load_catalogue(c);
        sql::select_bookings(c, q, cat, [&](const BookingRow& r) { out.push_back(r.id); });
        return out;
    }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "a booking is selected when it overlaps the window, edges included") {
    const auto ev = seed.event(seed.root(), "2026-01-01 00:00Z", "2026-01-02 00:00Z");
    const auto b = seed.booking(ev, "Vidyo", "2026-01-01 10:00Z", "2026-01-01 11:00Z");
    sql::BookingQuery q = query();
    const auto check = [&](const char* from, const char* to, bool expected) {
        q.window = {at(from), at(to)};
        INFO(from << " .. " << to);
        CHECK((ids(q) == Ids{b}) == expected);
    };
    check("2026-01-01T11:00:00", "2026-01-01T12:00:00", true);   // touches the end
    check("2026-01-01T09:00:00", "2026-01-01T10:00:00", true);   // touches the start
    check("2026-01-01T10:15:00", "2026-01-01T10:30:00", true);   // window inside the booking
    check("2026-01-01T00:00:00", "2026-01-01T23:59:59", true);   // booking inside the window
    check("2026-01-01T11:00:01", "2026-01-01T12:00:00", false);  // after
    check("2026-01-01T08:00:00", "2026-01-01T09:59:59", false);  // before
    q.window = {at("2026-01-01T11:00:00") + std::chrono::microseconds{1}, std::nullopt};
    CHECK(ids(q).empty());  // microseconds count
    q.window = {std::nullopt, at("2026-01-01T10:00:00")};
    CHECK(ids(q) == Ids{b});  // open-ended
}

TEST_CASE_METHOD(Fixture, "a booking without both of its own times is selected by its event's times") {
    const auto ev = seed.event(seed.root(), "2026-03-01 08:00Z", "2026-03-01 18:00Z");
    const auto b = seed.booking(ev, "Vidyo", "2026-05-01 10:00Z", "NULL");
    sql::BookingQuery q = query();
    q.window = {at("2026-03-01T17:00:00"), at("2026-03-01T17:30:00")};
    CHECK(ids(q) == Ids{b});
    q.window = {at("2026-05-01T09:00:00"), at("2026-05-01T12:00:00")};
    CHECK(ids(q).empty());
}

TEST_CASE_METHOD(Fixture, "every order and direction is total, with ties broken by id") {
    const auto ev = seed.event(seed.root(), "2026-01-01 00:00Z", "2026-01-02 00:00Z", "inheriting", "Zeta event");
    // b1 and b2 share start and end; titles order differently from ids.
    const auto b1 = seed.booking(ev, "Vidyo", "2026-01-01 10:00Z", "2026-01-01 12:00Z", "NULL", "'beta'");
    const auto b2 = seed.booking(ev, "Vidyo", "2026-01-01 10:00Z", "2026-01-01 12:00Z", "NULL", "'Alpha'");
    const auto b3 = seed.booking(ev, "Vidyo", "2026-01-01 09:00Z", "2026-01-01 13:00Z", "NULL", "NULL");   // "Zeta event"
    const auto b4 = seed.booking(ev, "Vidyo", "2026-01-01 11:00Z", "2026-01-01 11:30Z", "NULL", "'Émile'");
    sql::BookingQuery q = query();
    const auto order = [&](SortKey key, bool desc) {
        q.order = key;
        q.descending = desc;
        return ids(q);
    };
    CHECK(order(SortKey::id, false) == Ids{b1, b2, b3, b4});
    CHECK(order(SortKey::id, true) == Ids{b4, b3, b2, b1});
    CHECK(order(SortKey::start, false) == Ids{b3, b1, b2, b4});
    CHECK(order(SortKey::start, true) == Ids{b4, b2, b1, b3});
    CHECK(order(SortKey::end, false) == Ids{b4, b1, b2, b3});
    CHECK(order(SortKey::end, true) == Ids{b3, b2, b1, b4});
    // Code-point order of the displayed title: "Alpha" < "Zeta event" < "beta" < "Émile".
    CHECK(order(SortKey::title, false) == Ids{b2, b3, b1, b4});
    CHECK(order(SortKey::title, true) == Ids{b4, b1, b3, b2});
}

TEST_CASE_METHOD(Fixture, "limit and offset page through the order") {
    const auto ev = seed.event(seed.root(), "2026-01-01 00:00Z", "2026-01-02 00:00Z");
    Ids all;
    for (int i = 0; i < 7; ++i) all.push_back(seed.booking(ev, "Vidyo", "2026-01-01 10:00Z", "2026-01-01 11:00Z"));
    sql::BookingQuery q = query();
    q.order = SortKey::id;
    q.limit = 3;
    CHECK(ids(q) == Ids(all.begin(), all.begin() + 3));
    q.offset = 3;
    CHECK(ids(q) == Ids(all.begin() + 3, all.begin() + 6));
    q.offset = 6;
    CHECK(ids(q) == Ids{all[6]});
    q.offset = 7;
    CHECK(ids(q).empty());
}

TEST_CASE_METHOD(Fixture, "categ selects the category and everything below it") {
    const auto a = seed.category(seed.root()), a1 = seed.category(a), a11 = seed.category(a1), b = seed.category(seed.root());
    const auto in_a = seed.booking(seed.event(a, "2026-01-01Z", "2026-01-02Z"), "Vidyo", "NULL", "NULL");
    const auto in_a11 = seed.booking(seed.event(a11, "2026-01-01Z", "2026-01-02Z"), "Vidyo", "NULL", "NULL");
    seed.booking(seed.event(b, "2026-01-01Z", "2026-01-02Z"), "Vidyo", "NULL", "NULL");
    sql::BookingQuery q = query();
    q.order = SortKey::id;
    q.category = a;
    CHECK(ids(q) == Ids{in_a, in_a11});
    q.category = a11;
    CHECK(ids(q) == Ids{in_a11});
    q.category = 999999;
    CHECK(ids(q).empty());
}

TEST_CASE_METHOD(Fixture, "only the requested services are selected") {
    const auto ev = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    const auto v = seed.booking(ev, "Vidyo", "NULL", "NULL");
    const auto e = seed.booking(ev, "EVO", "NULL", "NULL");
    const auto m = seed.booking(ev, "CERNMCU", "NULL", "NULL");
    sql::BookingQuery q = query({"Vidyo", "CERNMCU"});
    q.order = SortKey::id;
    CHECK(ids(q) == Ids{v, m});
    CHECK(ids(query({"EVO"})) == Ids{e});
    CHECK(ids(query({})).empty());  // only retired services were asked for
}

TEST_CASE_METHOD(Fixture, "rejected and deleted bookings and bookings of deleted events are never selected") {
    const auto ev = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    const auto gone = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    const auto pending = seed.booking(ev, "WebcastRequest", "NULL", "NULL", "pending");
    const auto accepted = seed.booking(ev, "WebcastRequest", "NULL", "NULL", "accepted");
    const auto null_status = seed.booking(ev, "WebcastRequest", "NULL", "NULL", "NULL");
    seed.booking(ev, "WebcastRequest", "NULL", "NULL", "rejected");
    seed.booking(ev, "Vidyo", "NULL", "NULL", "rejected");  // rejected means out, for any service
    const auto deleted = seed.booking(ev, "WebcastRequest", "NULL", "NULL", "accepted");
    c.exec("UPDATE video_export.bookings SET is_deleted = true WHERE id = " + std::to_string(deleted));
    seed.booking(gone, "WebcastRequest", "NULL", "NULL", "accepted");
    c.exec("UPDATE video_export.events SET is_deleted = true WHERE id = " + std::to_string(gone));
    sql::BookingQuery q = query({"WebcastRequest", "Vidyo"});
    q.order = SortKey::id;
    CHECK(ids(q) == Ids{pending, accepted, null_status});
}

TEST_CASE_METHOD(Fixture, "rows carry every value the writers need") {
    const auto ev = seed.event(seed.root(), "2026-01-01 08:00Z", "2026-01-01 18:00Z", "inheriting", "The event");
    c.exec("UPDATE video_export.events SET location = 'CERN', room = '' WHERE id = " + std::to_string(ev));
    const auto b = seed.booking(ev, "RecordingRequest", "2026-01-01 10:00:00.75Z", "2026-01-01 11:00Z", "accepted", "''");
    c.exec("UPDATE video_export.bookings SET audience = '', sequence = 9, modified_dt = '2025-12-01 12:00:00.5Z', "
           "created_dt = '2025-11-01Z' WHERE id = " + std::to_string(b));
    const ServiceCatalogue cat = sql::load_catalogue(c);
    int rows = 0;
    sql::select_bookings(c, query({"RecordingRequest"}), cat, [&](const BookingRow& r) {
        ++rows;
        CHECK(r.id == b);
        CHECK(r.event_id == ev);
        CHECK(r.service->slug == "recording");
        CHECK(r.status == "accepted");
        CHECK(r.title == "");
        CHECK(r.event_title == "The event");
        CHECK(displayed_title(r) == "The event");
        CHECK(r.start == at("2026-01-01T10:00:00") + std::chrono::milliseconds{750});
        CHECK(r.end == at("2026-01-01T11:00:00"));
        CHECK(r.event_start == at("2026-01-01T08:00:00"));
        CHECK(r.created == at("2025-11-01T00:00:00"));
        CHECK(r.modified == at("2025-12-01T12:00:00") + std::chrono::milliseconds{500});
        CHECK(r.sequence == 9);
        CHECK(r.location == "CERN");
        CHECK(r.room == "");
        CHECK(r.audience == "");
    });
    CHECK(rows == 1);
}

TEST_CASE_METHOD(Fixture, "unnamed statements (PgBouncer transaction pooling) select the same rows") {
    const auto ev = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    const Ids all = {seed.booking(ev, "Vidyo", "NULL", "NULL"), seed.booking(ev, "Vidyo", "NULL", "NULL")};
    sql::Connection unnamed = db.connect(sql::StatementMode::unnamed);
    const ServiceCatalogue cat = sql::load_catalogue(unnamed);
    for (int round = 0; round < 2; ++round) {
        Ids got;
        sql::BookingQuery q = query();
        q.order = SortKey::id;
        sql::select_bookings(unnamed, q, cat, [&](const BookingRow& r) { got.push_back(r.id); });
        CHECK(got == all);
    }
    CHECK(scalar(unnamed, "SELECT count(*) FROM pg_prepared_statements") == "0");
}

TEST_CASE("invalid UTF-8 stored in a title (a SQL_ASCII database) is replaced in the feed") {
    TestDatabase db(TestDatabase::Schema::migrated, "SQL_ASCII");
    sql::Connection c = db.connect();
    Seed seed(c);
    const auto ev = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    seed.booking(ev, "Vidyo", "NULL", "NULL", "NULL", "E'caf\\xE9 \\xFF\\xFE meeting'");
    const ServiceCatalogue cat = sql::load_catalogue(c);
    sql::BookingQuery q;
    q.service_types = {"Vidyo"};
    q.viewer_is_admin = true;
    StringSink sink;
    FeedSettings settings;
    IcsWriter writer(sink, settings, std::nullopt);
    writer.begin({"t"});
    const auto n = sql::select_bookings(c, q, cat, [&](const BookingRow& r) { writer.add(r); });
    writer.finish({});
    CHECK(n == 1);
    CHECK(utf8::is_valid(sink.data));
    CHECK(sink.data.find("SUMMARY:Vidyo: caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD meeting\r\n") != std::string::npos);
}

TEST_CASE_METHOD(Fixture, "a consumer that gives up mid-stream leaves the connection usable") {
    const auto ev = seed.event(seed.root(), "2026-01-01Z", "2026-01-02Z");
    for (int i = 0; i < 50; ++i) seed.booking(ev, "Vidyo", "NULL", "NULL");
    const ServiceCatalogue cat = sql::load_catalogue(c);
    int seen = 0;
    CHECK_THROWS_AS(sql::select_bookings(c, query(), cat,
                                         [&](const BookingRow&) {
                                             if (++seen == 3) throw std::runtime_error("client went away");
                                         }),
                    std::runtime_error);
    CHECK(ids(query()).size() == 50);
}
