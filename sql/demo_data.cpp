#include "sql/demo_data.hpp"

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <random>
#include <string_view>
#include <vector>

#include "core/booking.hpp"
#include "sql/params.hpp"

namespace vx::sql {
namespace {

using std::chrono::microseconds;
using std::chrono::minutes;

// std::mt19937_64's output is fixed by the standard; distributions are not,
// so values are drawn with plain arithmetic to stay identical everywhere.
class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }
    std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + std::int64_t(below(std::uint64_t(hi - lo + 1))); }
    bool chance(int percent) { return below(100) < std::uint64_t(percent); }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& items) { return items[below(N)]; }
    std::string uuid() {
        const std::uint64_t a = engine_(), b = engine_();
        // Version 4, variant 1, as a UUID generator would make it.
        return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFF,
                           0x8000 | ((b >> 48) & 0x3FFF), b & 0xFFFFFFFFFFFF);
    }

private:
    std::mt19937_64 engine_;
};

constexpr std::array<std::string_view, 12> groups = {"ATLAS", "CMS",   "LHCb",  "ALICE",   "IT-DB", "BE-OP",
                                                     "TH",    "EP-ESE", "ISOLDE", "AMS",   "n_TOF", "CLIC"};
constexpr std::array<std::string_view, 8> topics = {
    "dark matter searches", "detector upgrade", "computing model", "beam instrumentation",
    "Higgs couplings",      "trigger menu",     "outreach",        "budget and schedule"};
// Title patterns in several scripts; "{g}" is a group, "{t}" a topic. Some need
// TEXT escaping (; , \) or contain line breaks; some are long enough to fold.
constexpr std::array<std::string_view, 16> title_patterns = {
    "Weekly {g} meeting",
    "{g} collaboration board",
    "Seminar: {t}",
    "Réunion hebdomadaire {g} — {t}",
    "Besprechung der Gruppe {g}: Überblick",
    "Еженедельное совещание {g}",
    "{g} 周会：{t}",
    "定例会議（{g}）",
    "Συνάντηση ομάδας {g}",
    "اجتماع فريق {g}",
    "🎥 Live: {t} 🔬",
    "{g}: budget; Q1, Q2 \\ review",
    "{g} run coordination\nfollow-up",
    "Joint {g} and {g} workshop on {t}, with a long title that calendar clients have to fold across lines",
    "{g} tutorial",
    "Café scientifique : {t}"};
constexpr std::array<std::string_view, 6> locations = {"CERN", "CERN", "Fermilab", "DESY", "Online", "KEK"};
constexpr std::array<std::string_view, 6> rooms = {"40-S2-A01", "503-1-001", "Main Auditorium",
                                                   "31-3-004",  "4-3-006",   "Salle Curie"};
constexpr std::array<std::string_view, 5> audiences = {"ATLAS collaborators", "CMS members", "Public",
                                                       "Speakers only", "Tous les membres, y compris les invités"};
constexpr std::array<std::string_view, 5> service_types = {"Vidyo", "EVO", "CERNMCU", "WebcastRequest",
                                                           "RecordingRequest"};

// COPY text format: one row per line, tab-separated, \N for NULL.
class CopyRow {
public:
    explicit CopyRow(std::string& out) : out_(out) {}
    CopyRow& num(std::int64_t v) { return field(fmt::format("{}", v)); }
    CopyRow& flag(bool v) { return field(v ? "t" : "f"); }
    CopyRow& null() {
        sep();
        out_ += "\\N";
        return *this;
    }
    CopyRow& time(Timestamp t) {
        sep();
        append_timestamptz_text(out_, t);
        return *this;
    }
    CopyRow& text(std::string_view v) {
        sep();
        for (const char c : v) {
            switch (c) {
                case '\\': out_ += "\\\\"; break;
                case '\t': out_ += "\\t"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                default: out_.push_back(c);
            }
        }
        return *this;
    }
    void end() { out_.push_back('\n'); }

private:
    CopyRow& field(std::string_view v) {
        sep();
        out_ += v;
        return *this;
    }
    void sep() {
        if (!first_) out_.push_back('\t');
        first_ = false;
    }
    std::string& out_;
    bool first_ = true;
};

std::string make_title(Random& rng) {
    std::string out;
    std::string_view pattern = rng.pick(title_patterns);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern.compare(i, 3, "{g}") == 0) {
            out += rng.pick(groups);
            i += 2;
        } else if (pattern.compare(i, 3, "{t}") == 0) {
            out += rng.pick(topics);
            i += 2;
        } else {
            out.push_back(pattern[i]);
        }
    }
    return out;
}

// Loads rows through COPY in chunks of about a megabyte.
template <class Generate>
void copy(Connection& c, std::string_view sql, std::int64_t rows, Generate generate) {
    c.copy_in(sql, [&](const std::function<void(std::string_view)>& send) {
        std::string chunk;
        chunk.reserve(1 << 20);
        for (std::int64_t i = 1; i <= rows; ++i) {
            generate(chunk, i);
            if (chunk.size() >= (1 << 20)) {
                send(chunk);
                chunk.clear();
            }
        }
        if (!chunk.empty()) send(chunk);
    });
}

struct Event {
    Timestamp start, end;
};

}  // namespace

DemoSummary load_demo_data(Connection& c, const DemoOptions& o) {
    const Result existing = c.exec("SELECT EXISTS (SELECT 1 FROM video_export.events)");
    if (existing.bytes(0, 0) == "t")
        throw Error("refusing to load demo data: video_export.events is not empty (use a fresh database)");

    Random rng(o.seed);
    DemoSummary s;
    s.events = o.events;
    s.bookings = o.bookings;
    s.users = std::max<std::int64_t>(10, o.events / 50);
    s.categories = std::max<std::int64_t>(8, o.events / 20);

    c.exec("BEGIN");
    // Users: 1 is the demo user, 2 an administrator.
    std::vector<std::pair<std::string, std::string>> keys;
    copy(c, "COPY video_export.users (id, email, full_name, is_admin, is_deleted, is_blocked) FROM STDIN", s.users,
         [&](std::string& out, std::int64_t id) {
             const std::string name = id == 1 ? "Demo User" : id == 2 ? "Demo Admin" : fmt::format("User {}", id);
             CopyRow(out).num(id).text(fmt::format("user{}@example.org", id)).text(name).flag(id == 2)
                 .flag(id > 2 && rng.chance(3)).flag(id > 2 && rng.chance(2)).end();
         });
    copy(c,
         "COPY video_export.api_keys (id, token, secret, user_id, is_persistent_allowed, is_blocked) FROM STDIN",
         s.users, [&](std::string& out, std::int64_t id) {
             keys.emplace_back(rng.uuid(), rng.uuid());
             CopyRow(out).num(id).text(keys.back().first).text(keys.back().second).num(id)
                 .flag(id <= 2 || rng.chance(50)).flag(id > 2 && rng.chance(5)).end();
         });
    s.demo_token = keys[0].first;
    s.demo_secret = keys[0].second;
    s.admin_token = keys[1].first;
    s.admin_secret = keys[1].second;

    // Categories: a tree (each parent has a smaller id); the root is public.
    copy(c, "COPY video_export.categories (id, parent_id, title, protection_mode) FROM STDIN", s.categories,
         [&](std::string& out, std::int64_t id) {
             CopyRow row(out);
             row.num(id);
             if (id == 1) row.null();
             // A parent among the ids around id/6: trees four or five levels
             // deep, like real sites' category trees.
             else row.num(rng.between(std::max<std::int64_t>(1, id / 8), std::max<std::int64_t>(1, id / 4)));
             const int mode = int(rng.below(100));
             row.text(id == 1 ? std::string("Home") : fmt::format("{} {}", rng.pick(groups), id))
                 .text(id == 1 ? "public" : mode < 70 ? "inheriting" : mode < 85 ? "public" : "protected")
                 .end();
         });
    copy(c, "COPY video_export.category_acl (category_id, user_id) FROM STDIN", s.categories,
         [&](std::string& out, std::int64_t id) {
             // Every third category lists the demo user, the others someone else.
             CopyRow(out).num(id).num(id % 3 == 0 ? 1 : rng.between(3, s.users)).end();
         });

    std::vector<Event> events(std::size_t(o.events) + 1);
    copy(c,
         "COPY video_export.events (id, category_id, title, start_dt, end_dt, location, room, protection_mode, "
         "is_deleted) FROM STDIN",
         o.events, [&](std::string& out, std::int64_t id) {
             const Timestamp start = o.anchor + minutes(rng.between(-365 * 24 * 4, 365 * 24 * 4) * 15);
             const Timestamp end = start + minutes(rng.chance(10) ? rng.between(1, 3) * 24 * 60 : rng.between(2, 32) * 15);
             events[std::size_t(id)] = {start, end};
             const int mode = int(rng.below(100));
             CopyRow row(out);
             row.num(id).num(rng.between(1, s.categories)).text(make_title(rng)).time(start).time(end);
             if (rng.chance(10)) row.null(); else row.text(rng.chance(5) ? "" : rng.pick(locations));
             if (rng.chance(20)) row.null(); else row.text(rng.chance(5) ? "" : rng.pick(rooms));
             row.text(mode < 80 ? "inheriting" : mode < 90 ? "public" : "protected").flag(rng.chance(1)).end();
         });
    copy(c, "COPY video_export.event_acl (event_id, user_id) FROM STDIN", o.events / 10,
         [&](std::string& out, std::int64_t i) {
             CopyRow(out).num(i * 10).num(i % 2 == 0 ? 1 : rng.between(3, s.users)).end();
         });

    // The row trigger that derives export_start_dt/export_end_dt costs more
    // than the rest of the load together; this loader knows the event times
    // and applies the same rule (core's effective_span) itself. The trigger
    // is off only inside this transaction, on a table that was empty.
    c.exec("ALTER TABLE video_export.bookings DISABLE TRIGGER bookings_before_write");
    const Service service{"", "", std::nullopt, false, false};
    copy(c,
         "COPY video_export.bookings (id, event_id, service_type, status, title, start_dt, end_dt, audience, "
         "created_dt, modified_dt, sequence, is_deleted, export_start_dt, export_end_dt) FROM STDIN",
         o.bookings, [&](std::string& out, std::int64_t id) {
             const std::int64_t event_id = rng.between(1, o.events);
             const Event& ev = events[std::size_t(event_id)];
             const std::string_view type = rng.pick(service_types);
             BookingRow booking;  // only what effective_span reads
             booking.service = &service;
             booking.event_start = ev.start;
             booking.event_end = ev.end;
             CopyRow row(out);
             row.num(id).num(event_id).text(type);
             const int status = int(rng.below(100));
             if (status < 20) row.null();
             else row.text(status < 55 ? "pending" : status < 95 ? "accepted" : "rejected");
             const int title = int(rng.below(100));
             if (title < 20) row.null(); else row.text(title < 30 ? std::string() : make_title(rng));
             if (rng.chance(15)) {
                 row.null().null();  // the event's times apply
             } else {
                 booking.start = ev.start + minutes(rng.between(-2, 8) * 15);
                 booking.end = *booking.start + minutes(rng.between(15, 240));
                 row.time(*booking.start).time(*booking.end);
             }
             const int audience = int(rng.below(100));
             if (audience < 40) row.null(); else row.text(audience < 55 ? std::string_view() : rng.pick(audiences));
             const Timestamp created = ev.start - minutes(rng.between(60, 60 * 24 * 90));
             const Span span = effective_span(booking);
             row.time(created).time(created + minutes(rng.between(0, 60 * 24 * 30)))
                 .num(rng.between(0, 5)).flag(rng.chance(1)).time(span.start).time(span.end).end();
         });
    c.exec("ALTER TABLE video_export.bookings ENABLE TRIGGER bookings_before_write");

    // Writers that insert without ids must continue after ours.
    for (const char* table : {"users", "api_keys", "categories", "events", "bookings"})
        c.exec(fmt::format("SELECT setval(pg_get_serial_sequence('video_export.{0}', 'id'), "
                           "(SELECT max(id) FROM video_export.{0}))", table));
    c.exec("COMMIT");
    c.exec("ANALYZE video_export.users, video_export.api_keys, video_export.categories, video_export.category_acl, "
           "video_export.events, video_export.event_acl, video_export.bookings");
    return s;
}

}  // namespace vx::sql
