// A fixed set of bookings covering every rule of DESIGN.md §5, rendered by the
// real writers and, separately, described by the values a calendar parser must
// read back. The checkers (check_python_icalendar.py, check_icaljs.mjs) compare
// the two through independent parsers.
//
//   feed_fixture --format ics [--alarms N]   the iCalendar feed (vx::IcsWriter)
//   feed_fixture --format json               the JSON rendering (vx::JsonWriter)
//   feed_fixture --expect [--alarms N]       the expected parsed values, as JSON
//
// The expectations are spelled out literally here, never computed with the
// library's helpers (displayed_title, append_summary, iso_utc, utf8::sanitize,
// ...), so a bug in the library makes the test fail instead of agreeing with
// itself. ICS expectations are the sanitised texts (C0 except TAB, DEL and C1
// dropped; CRLF/CR become LF; invalid UTF-8 becomes U+FFFD); the JSON rendering
// keeps control characters (JSON escapes them) and replaces only invalid UTF-8.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ics_writer.hpp"
#include "core/json_writer.hpp"
#include "core/service_catalogue.hpp"

namespace {

using namespace std::literals;
using namespace std::chrono;
using Text = std::optional<std::string_view>;  // nullopt: NULL in the database

constexpr vx::Timestamp at(int y, unsigned mo, unsigned d, int h, int mi, int s, int us = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + microseconds{us};
}

// Settings that differ from FeedSettings' defaults, so the test sees that
// configuration reaches the output.
vx::FeedSettings settings() {
    vx::FeedSettings s;
    s.prodid = "-//Example Lab//video-export parser test//EN";
    s.uid_domain = "indico.example.org";
    s.calendar_name = "CERN video services";
    s.refresh_interval = "PT30M";
    s.event_url = vx::EventUrlTemplate("https://indico.example.org/event/{event_id}/");
    return s;
}

struct Case {
    // The input row (services by slug; times as stored, with microseconds).
    std::int64_t id, event_id;
    const char* slug;
    Text status, title, event_title;
    std::optional<vx::Timestamp> start, end;
    vx::Timestamp event_start, event_end, created, modified;
    std::int64_t sequence;
    Text location, room, audience;

    // Expected, literally. SUMMARY = prefix + ics_title.
    const char* prefix;            // "W-P: "
    const char* ics_title;         // the displayed title, sanitised as in ICS
    Text json_title;               // as the JSON rendering shows it; nullopt: same as ics_title
    const char* ics_status;        // TENTATIVE / CONFIRMED
    const char* json_status;       // "pending" / "accepted" / nullptr (no accept/reject)
    const char* dtstart, *dtend;   // whole seconds, truncated
    const char* created_iso, *modified_iso;
    const char* ics_location;      // nullptr: no LOCATION line
    const char* description;       // event URL included
};

const vx::Timestamp t_created = at(2026, 11, 2, 8, 15, 42, 999999);
const vx::Timestamp t_modified = at(2026, 11, 20, 17, 5, 9, 500000);
constexpr const char* created_iso = "2026-11-02T08:15:42Z";
constexpr const char* modified_iso = "2026-11-20T17:05:09Z";

// Long titles in several scripts: each is well over 75 octets, so SUMMARY and
// the alarm's DESCRIPTION are folded, with multi-byte sequences at the fold.
constexpr const char* cyrillic =
    "Еженедельное совещание группы физики высоких энергий: калибровка детектора и обработка данных";
constexpr const char* cjk =
    "大型强子对撞机物理研讨会：数据分析与探测器升级进展报告（第二部分）・会議室予約・회의실 예약 확인";
constexpr const char* emoji_combining =
    "Emoji 🎥📡🧪🚀 ZWJ 👩‍🔬👨‍👩‍👧 flags 🇨🇭🇫🇷 combining e\u0301 a\u0308 n\u0303 o\u0302\u0323 "
    "Z\u0336a\u0335l\u0334g\u0337o\u0338 and Devanagari नमस्ते दुनिया";

// The URL the template gives, spelled out per event below.
#define URL(e) "https://indico.example.org/event/" #e "/"

const Case cases[] = {
    // Services without accept/reject ignore the status; booking times used;
    // sub-second times truncated; location and room both present.
    {101, 11, "vidyo", "accepted"sv, "Weekly ATLAS meeting"sv, "ATLAS week"sv,
     at(2026, 12, 4, 9, 30, 0, 999999), at(2026, 12, 4, 10, 30, 59, 1),
     at(2026, 12, 1, 0, 0, 0), at(2026, 12, 5, 0, 0, 0), t_created, t_modified, 0,
     "CERN"sv, "40-S2-A01"sv, std::nullopt,
     "Vidyo: ", "Weekly ATLAS meeting", std::nullopt, "CONFIRMED", nullptr,
     "2026-12-04T09:30:00Z", "2026-12-04T10:30:59Z", created_iso, modified_iso,
     "CERN: 40-S2-A01", "Event URL: " URL(11)},

    // NULL title → event title; no booking times → the event's; location only;
    // audience '' → "No restriction".
    {102, 12, "evo", "pending"sv, std::nullopt, "EVO test event"sv,
     std::nullopt, std::nullopt,
     at(2026, 12, 7, 14, 0, 0), at(2026, 12, 7, 15, 45, 0), t_created, t_modified, 3,
     "CERN"sv, std::nullopt, ""sv,
     "EVO: ", "EVO test event", std::nullopt, "CONFIRMED", nullptr,
     "2026-12-07T14:00:00Z", "2026-12-07T15:45:00Z", created_iso, modified_iso,
     "CERN", "Audience: No restriction\nEvent URL: " URL(12)},

    // Empty title and empty event title → "No title defined."; only one booking
    // time → both from the event (before 1970: flooring, not truncation toward
    // zero); empty location → room only.
    {103, 13, "mcu", std::nullopt, ""sv, ""sv,
     at(2026, 12, 8, 9, 0, 0), std::nullopt,
     at(1969, 7, 20, 20, 17, 40, 900000), at(1969, 7, 21, 2, 56, 15, 100), t_created, t_modified, 1,
     ""sv, "Main Auditorium"sv, "CERN users only"sv,
     "MCU: ", "No title defined.", std::nullopt, "CONFIRMED", nullptr,
     "1969-07-20T20:17:40Z", "1969-07-21T02:56:15Z", created_iso, modified_iso,
     "Main Auditorium", "Audience: CERN users only\nEvent URL: " URL(13)},

    // Accept/reject service: pending; neither location nor room (NULL). The
    // "\," escape falls on octets 75-76 of the SUMMARY line: the fold must
    // come before the backslash, not between it and the comma.
    {104, 14, "webcast", "pending"sv, "LHC seminar: searching for new physics in the full Run 3 data, part 2"sv,
     "LHC seminar (event)"sv,
     at(2027, 1, 15, 16, 0, 0), at(2027, 1, 15, 17, 0, 0),
     at(2027, 1, 15, 15, 0, 0), at(2027, 1, 15, 18, 0, 0), t_created, t_modified, 2,
     std::nullopt, std::nullopt, "Public"sv,
     "W-P: ", "LHC seminar: searching for new physics in the full Run 3 data, part 2", std::nullopt, "TENTATIVE",
     "pending",
     "2027-01-15T16:00:00Z", "2027-01-15T17:00:00Z", created_iso, modified_iso,
     nullptr, "Audience: Public\nEvent URL: " URL(14)},

    // Accepted; empty title → event title; location and room both '' → none.
    {105, 15, "webcast", "accepted"sv, ""sv, "Colloquium"sv,
     at(2027, 2, 1, 13, 0, 0), at(2027, 2, 1, 14, 30, 0),
     at(2027, 2, 1, 12, 0, 0), at(2027, 2, 1, 15, 0, 0), t_created, t_modified, 5,
     ""sv, ""sv, std::nullopt,
     "W-A: ", "Colloquium", std::nullopt, "CONFIRMED", "accepted",
     "2027-02-01T13:00:00Z", "2027-02-01T14:30:00Z", created_iso, modified_iso,
     nullptr, "Event URL: " URL(15)},

    // Recording, NULL status = pending. TEXT escapes in title, location, room
    // and audience. No backslash is followed by n, N, ',' or ';': python-
    // icalendar 4.0.3 reads the correct escapes "\\n", "\\\," and "\\\;" as a
    // newline, ',' and ';' (its bug, not the feed's; ical.js reads them right).
    {106, 16, "recording", std::nullopt, R"(Escapes: C:\Temp\x; a, b;; c,, "q" :colon)"sv, std::nullopt,
     at(2027, 3, 3, 8, 0, 0), at(2027, 3, 3, 9, 0, 0),
     at(2027, 3, 3, 7, 0, 0), at(2027, 3, 3, 10, 0, 0), t_created, t_modified, 42,
     "Prévessin, Bldg 864"sv, R"(1-A; 02\B)"sv, "Physicists; engineers, students"sv,
     "R-P: ", R"(Escapes: C:\Temp\x; a, b;; c,, "q" :colon)", std::nullopt, "TENTATIVE", "pending",
     "2027-03-03T08:00:00Z", "2027-03-03T09:00:00Z", created_iso, modified_iso,
     R"(Prévessin, Bldg 864: 1-A; 02\B)",
     "Audience: Physicists; engineers, students\nEvent URL: " URL(16)},

    // Line breaks of all three kinds become LF; TAB is kept.
    {107, 17, "recording", "accepted"sv, "Line one\r\nLine two\rLine three\nLine\tfour\r\n\r\nend"sv, std::nullopt,
     at(2027, 3, 4, 8, 0, 0), at(2027, 3, 4, 9, 0, 0),
     at(2027, 3, 4, 7, 0, 0), at(2027, 3, 4, 10, 0, 0), t_created, t_modified, 0,
     "Meyrin\r\nSite"sv, std::nullopt, "Line\rbreak"sv,
     "R-A: ", "Line one\nLine two\nLine three\nLine\tfour\n\nend",
     "Line one\r\nLine two\rLine three\nLine\tfour\r\n\r\nend", "CONFIRMED", "accepted",
     "2027-03-04T08:00:00Z", "2027-03-04T09:00:00Z", created_iso, modified_iso,
     "Meyrin\nSite", "Audience: Line\nbreak\nEvent URL: " URL(17)},

    // Control characters are dropped: C0 (NUL included), DEL, C1 (U+0085,
    // U+009F); U+00A0 (first non-control above C1) is kept.
    {108, 18, "vidyo", std::nullopt, "Ctl\0\x01\x07\x08\x0b\x0c\x1b\x1f|DEL\x7f|NEL\u0085|APC\u009f|NBSP\u00a0|end"sv,
     std::nullopt, at(2027, 4, 1, 10, 0, 0), at(2027, 4, 1, 11, 0, 0),
     at(2027, 4, 1, 9, 0, 0), at(2027, 4, 1, 12, 0, 0), t_created, t_modified, 7,
     "Room\x1b[31m red"sv, "B\x7f" "1"sv, "A\0udience"sv,
     "Vidyo: ", "Ctl|DEL|NEL|APC|NBSP\u00a0|end",
     "Ctl\0\x01\x07\x08\x0b\x0c\x1b\x1f|DEL\x7f|NEL\u0085|APC\u009f|NBSP\u00a0|end"sv, "CONFIRMED", nullptr,
     "2027-04-01T10:00:00Z", "2027-04-01T11:00:00Z", created_iso, modified_iso,
     "Room[31m red: B1", "Audience: Audience\nEvent URL: " URL(18)},

    // Long titles in other scripts fold (2-, 3- and 4-byte sequences, ZWJ
    // sequences, combining marks).
    {109, 19, "evo", std::nullopt, cyrillic, std::nullopt,
     at(2027, 5, 2, 6, 0, 0), at(2027, 5, 2, 7, 0, 0),
     at(2027, 5, 2, 6, 0, 0), at(2027, 5, 2, 7, 0, 0), t_created, t_modified, 1,
     "Дубна"sv, "Зал 1"sv, "Участники совещания"sv,
     "EVO: ", cyrillic, std::nullopt, "CONFIRMED", nullptr,
     "2027-05-02T06:00:00Z", "2027-05-02T07:00:00Z", created_iso, modified_iso,
     "Дубна: Зал 1", "Audience: Участники совещания\nEvent URL: " URL(19)},

    {110, 20, "mcu", "accepted"sv, std::nullopt, cjk,
     at(2027, 5, 3, 1, 0, 0), at(2027, 5, 3, 2, 0, 0),
     at(2027, 5, 3, 0, 0, 0), at(2027, 5, 3, 3, 0, 0), t_created, t_modified, 0,
     "高能物理研究所"sv, "第一会议室"sv, std::nullopt,
     "MCU: ", cjk, std::nullopt, "CONFIRMED", nullptr,
     "2027-05-03T01:00:00Z", "2027-05-03T02:00:00Z", created_iso, modified_iso,
     "高能物理研究所: 第一会议室", "Event URL: " URL(20)},

    {111, 21, "webcast", "accepted"sv, emoji_combining, std::nullopt,
     at(2027, 6, 10, 12, 0, 0), at(2027, 6, 10, 13, 0, 0),
     at(2027, 6, 10, 12, 0, 0), at(2027, 6, 10, 13, 0, 0), t_created, t_modified, 9,
     std::nullopt, "📺 Studio"sv, "👩‍🔬, 🧑‍🚀; all"sv,
     "W-A: ", emoji_combining, std::nullopt, "CONFIRMED", "accepted",
     "2027-06-10T12:00:00Z", "2027-06-10T13:00:00Z", created_iso, modified_iso,
     "📺 Studio", "Audience: 👩‍🔬, 🧑‍🚀; all\nEvent URL: " URL(21)},

    // Invalid UTF-8 in the event title (the booking's title is NULL): each
    // maximal ill-formed subpart becomes one U+FFFD (Unicode §3.9, as Python's
    // errors="replace"): truncated sequences, a lone continuation byte, 0xFF,
    // an encoded surrogate, an overlong form, Latin-1. Long, so a U+FFFD
    // falls near a fold.
    {112, 22, "recording", "pending"sv, std::nullopt,
     "Bad bytes: \xC3\x28 | \xE2\x82 | \xF0\x9F\x98 | \x80 | \xFF | \xED\xA0\x80 | \xC0\xAF | caf\xE9 | "
     "\xF4\x90\x80\x80 | ok é, then more text to push the invalid bytes across a fold \xE9\xE9\xE9\xE9\xE9"sv,
     at(2027, 7, 1, 8, 0, 0), at(2027, 7, 1, 9, 0, 0),
     at(2027, 7, 1, 7, 0, 0), at(2027, 7, 1, 10, 0, 0), t_created, t_modified, 4,
     "CERN"sv, "Room\x01"sv, std::nullopt,
     "R-P: ",
     "Bad bytes: \uFFFD( | \uFFFD | \uFFFD | \uFFFD | \uFFFD | \uFFFD\uFFFD\uFFFD | \uFFFD\uFFFD | caf\uFFFD | "
     "\uFFFD\uFFFD\uFFFD\uFFFD | ok é, then more text to push the invalid bytes across a fold "
     "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD",
     std::nullopt, "TENTATIVE", "pending",
     "2027-07-01T08:00:00Z", "2027-07-01T09:00:00Z", created_iso, modified_iso,
     "CERN: Room", "Event URL: " URL(22)},

    // Bad data from a writer: an end before the start is moved to the start
    // (RFC 5545 refuses DTEND < DTSTART).
    {113, 23, "vidyo", std::nullopt, "Reversed times"sv, std::nullopt,
     at(2027, 8, 1, 10, 0, 0), at(2027, 8, 1, 9, 0, 0),
     at(2027, 8, 1, 8, 0, 0), at(2027, 8, 1, 12, 0, 0), t_created, t_modified, 0,
     std::nullopt, "Room 2"sv, std::nullopt,
     "Vidyo: ", "Reversed times", std::nullopt, "CONFIRMED", nullptr,
     "2027-08-01T10:00:00Z", "2027-08-01T10:00:00Z", created_iso, modified_iso,
     "Room 2", "Event URL: " URL(23)},
};
#undef URL

// Service types by slug, as DESIGN.md §6 seeds them (CATEGORIES shows the type).
const char* type_of(std::string_view slug) {
    if (slug == "vidyo") return "Vidyo";
    if (slug == "evo") return "EVO";
    if (slug == "mcu") return "CERNMCU";
    if (slug == "webcast") return "WebcastRequest";
    if (slug == "recording") return "RecordingRequest";
    return "?";
}

// The slugs the feed was "requested" with: the duplicate is left out of the name.
const std::vector<std::string> requested = {"vidyo", "evo", "mcu", "webcast", "recording", "evo"};
constexpr const char* expected_calendar_name =
    "CERN video services: Vidyo, EVO, CERNMCU, WebcastRequest, RecordingRequest";
constexpr const char* request_url = "/export/video/vidyo-evo-mcu-webcast-recording-evo.json";
constexpr std::int64_t data_timestamp = 1795021509;  // FeedTrailer.ts, passed through

vx::BookingRow row_of(const Case& c, const vx::ServiceCatalogue& catalogue) {
    vx::BookingRow r;
    r.id = c.id;
    r.event_id = c.event_id;
    r.service = catalogue.by_slug(c.slug);
    r.status = c.status;
    r.title = c.title;
    r.event_title = c.event_title;
    r.start = c.start;
    r.end = c.end;
    r.event_start = c.event_start;
    r.event_end = c.event_end;
    r.created = c.created;
    r.modified = c.modified;
    r.sequence = c.sequence;
    r.location = c.location;
    r.room = c.room;
    r.audience = c.audience;
    return r;
}

void render(vx::FeedWriter& writer, const vx::FeedSettings& feed_settings, const vx::ServiceCatalogue& catalogue) {
    writer.begin({vx::calendar_title(feed_settings.calendar_name, catalogue.resolve(requested))});
    for (const Case& c : cases) writer.add(row_of(c, catalogue));
    writer.finish({true, data_timestamp, request_url});
}

// A minimal JSON writer for the expectations, independent of vx::JsonWriter.
// Expected strings are valid UTF-8 by construction; only '"', '\' and C0 need
// escaping.
struct Json {
    std::string out;
    bool first = true;

    void str(std::string_view s) {
        out += '"';
        for (const char c : s) {
            if (c == '"' || c == '\\') { out += '\\'; out += c; }
            else if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
                out += buf;
            } else out += c;
        }
        out += '"';
    }
    void key(std::string_view k) {
        if (!first) out += ',';
        first = false;
        str(k);
        out += ':';
    }
    void open(char brace) { out += brace; first = true; }
    void close(char brace) { out += brace; first = false; }
    void field(std::string_view k, const char* v) { key(k); if (v) str(v); else out += "null"; }
    void field(std::string_view k, const std::string& v) { key(k); str(v); }
    void field(std::string_view k, std::int64_t v) { key(k); out += std::to_string(v); }
    void field(std::string_view k, const Text& v, bool empty_is_null) {
        key(k);
        if (!v || (empty_is_null && v->empty())) out += "null";
        else str(*v);
    }
};

std::string expectations(std::optional<int> alarm_minutes) {
    Json j;
    j.open('{');
    j.key("calendar");
    j.open('{');
    j.field("VERSION", "2.0");
    j.field("PRODID", "-//Example Lab//video-export parser test//EN");
    j.field("CALSCALE", "GREGORIAN");
    j.field("METHOD", "PUBLISH");
    j.field("NAME", expected_calendar_name);
    j.field("X-WR-CALNAME", expected_calendar_name);
    j.field("REFRESH-INTERVAL", "PT30M");
    j.field("X-PUBLISHED-TTL", "PT30M");
    j.close('}');
    j.key("json_envelope");
    j.open('{');
    j.field("count", std::int64_t(std::size(cases)));
    j.key("complete");
    j.out += "true";
    j.field("ts", data_timestamp);
    j.field("url", request_url);
    j.close('}');
    j.key("bookings");
    j.open('[');
    for (const Case& c : cases) {
        const std::string uid = "indico-collaboration-a" + std::to_string(c.event_id) + "csbook" +
                                std::to_string(c.id) + "@indico.example.org";
        const std::string url = "https://indico.example.org/event/" + std::to_string(c.event_id) + "/";
        const std::string summary = std::string(c.prefix) + c.ics_title;
        const std::string json_title(c.json_title.value_or(c.ics_title));
        if (!j.first) j.out += ',';
        j.open('{');
        j.field("UID", uid);
        j.field("SUMMARY", summary);
        j.field("DTSTART", c.dtstart);
        j.field("DTEND", c.dtend);
        j.field("CREATED", c.created_iso);
        j.field("LAST-MODIFIED", c.modified_iso);
        j.field("DTSTAMP", c.modified_iso);
        j.field("SEQUENCE", c.sequence);
        j.field("STATUS", c.ics_status);
        j.field("CATEGORIES", std::string("VideoService - ") + type_of(c.slug));
        j.field("URL", url);
        j.field("LOCATION", c.ics_location);
        j.field("DESCRIPTION", c.description);
        j.key("VALARM");
        if (alarm_minutes) {
            j.open('{');
            j.field("ACTION", "DISPLAY");
            j.field("TRIGGER_MINUTES", std::int64_t(*alarm_minutes));
            j.field("DESCRIPTION", summary);
            j.close('}');
        } else {
            j.out += "null";
        }
        // The record of the JSON rendering.
        j.key("json");
        j.open('{');
        j.field("id", c.id);
        j.field("event_id", c.event_id);
        j.field("uid", uid);
        j.field("service", c.slug);
        j.field("status", c.json_status);
        j.field("title", json_title);
        j.field("summary", std::string(c.prefix) + json_title);
        j.field("start", c.dtstart);
        j.field("end", c.dtend);
        j.field("modified", c.modified_iso);
        j.field("location", c.location, true);
        j.field("room", c.room, true);
        j.field("audience", c.audience, false);
        j.field("url", url);
        j.close('}');
        j.close('}');
    }
    j.close(']');
    j.close('}');
    return j.out + "\n";
}

class StdoutSink final : public vx::Sink {
public:
    void write(std::string_view bytes) override { std::fwrite(bytes.data(), 1, bytes.size(), stdout); }
};

int usage() {
    std::cerr << "usage: feed_fixture (--format ics|json | --expect) [--alarms N]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string format;
    bool expect = false;
    std::optional<int> alarms;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--format" && i + 1 < argc) format = argv[++i];
        else if (a == "--alarms" && i + 1 < argc) alarms = std::atoi(argv[++i]);
        else if (a == "--expect") expect = true;
        else return usage();
    }
    const vx::ServiceCatalogue catalogue = vx::ServiceCatalogue::cern();
    const vx::FeedSettings feed_settings = settings();
    StdoutSink out;
    if (expect) {
        out.write(expectations(alarms));
    } else if (format == "ics") {
        vx::IcsWriter writer(out, feed_settings, alarms);
        render(writer, feed_settings, catalogue);
    } else if (format == "json") {
        vx::JsonWriter writer(out, feed_settings);
        render(writer, feed_settings, catalogue);
    } else {
        return usage();
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
}
