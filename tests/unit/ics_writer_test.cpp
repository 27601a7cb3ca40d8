// The iCalendar rendering of DESIGN.md §5, byte for byte.

#include <catch2/catch.hpp>

#include "core/ics_writer.hpp"
#include "tests/unit/writer_fixtures.hpp"

using namespace vx;
using vx::testing::sample_row;
using vx::testing::utc;

namespace {

const ServiceCatalogue catalogue = ServiceCatalogue::cern();
const Service& vidyo = *catalogue.by_slug("vidyo");
const Service& webcast = *catalogue.by_slug("webcast");

std::string render(const std::vector<BookingRow>& rows, std::optional<int> alarms = std::nullopt,
                   std::string title = "Video services: Vidyo") {
    StringSink sink;
    FeedSettings settings;
    IcsWriter writer(sink, settings, alarms);
    writer.begin({std::move(title)});
    for (const BookingRow& r : rows) writer.add(r);
    writer.finish({});
    return sink.data;
}

std::string event_of(const BookingRow& row, std::optional<int> alarms = std::nullopt) {
    const std::string all = render({row}, alarms);
    const auto begin = all.find("BEGIN:VEVENT\r\n");
    const auto end = all.find("END:VEVENT\r\n");
    REQUIRE(begin != std::string::npos);
    return all.substr(begin, end + 12 - begin);
}

bool has_line(const std::string& ics, const std::string& line) { return ics.find("\r\n" + line + "\r\n") != std::string::npos; }

}  // namespace

TEST_CASE("an empty feed is still a valid, named calendar") {
    CHECK(render({}) ==
          "BEGIN:VCALENDAR\r\n"
          "VERSION:2.0\r\n"
          "PRODID:-//Indico//Video Export//EN\r\n"
          "CALSCALE:GREGORIAN\r\n"
          "METHOD:PUBLISH\r\n"
          "NAME:Video services: Vidyo\r\n"
          "X-WR-CALNAME:Video services: Vidyo\r\n"
          "X-WR-CALDESC:Video services: Vidyo\r\n"
          "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
          "X-PUBLISHED-TTL:PT1H\r\n"
          "END:VCALENDAR\r\n");
}

TEST_CASE("a booking becomes one VEVENT with every property of the contract") {
    CHECK(event_of(sample_row(vidyo)) ==
          "BEGIN:VEVENT\r\n"
          "UID:indico-collaboration-a56csbook1234@indico\r\n"
          "DTSTAMP:20261102T131415Z\r\n"
          "CREATED:20261101T120059Z\r\n"
          "LAST-MODIFIED:20261102T131415Z\r\n"
          "SEQUENCE:3\r\n"
          "DTSTART:20261207T090000Z\r\n"
          "DTEND:20261207T103000Z\r\n"
          "SUMMARY:Vidyo: Weekly ATLAS meeting\r\n"
          "STATUS:CONFIRMED\r\n"
          "CATEGORIES:VideoService - Vidyo\r\n"
          "URL:https://indico.example.org/event/56/\r\n"
          "LOCATION:CERN: 40-S2-A01\r\n"
          "DESCRIPTION:Audience: ATLAS collaborators\\nEvent URL: https://indico.exampl\r\n"
          " e.org/event/56/\r\n"
          "END:VEVENT\r\n");
}

TEST_CASE("alarms come last in the VEVENT, DISPLAY with the summary as description and no SUMMARY") {
    const std::string ev = event_of(sample_row(vidyo), 20);
    CHECK(ev.ends_with("BEGIN:VALARM\r\n"
                       "ACTION:DISPLAY\r\n"
                       "TRIGGER:-PT20M\r\n"
                       "DESCRIPTION:Vidyo: Weekly ATLAS meeting\r\n"
                       "END:VALARM\r\n"
                       "END:VEVENT\r\n"));
    CHECK(event_of(sample_row(vidyo), 0).find("TRIGGER:-PT0M\r\n") != std::string::npos);
    CHECK(event_of(sample_row(vidyo)).find("VALARM") == std::string::npos);
}

TEST_CASE("accept/reject services mark pending bookings -P and TENTATIVE, accepted ones -A and CONFIRMED") {
    BookingRow row = sample_row(webcast);
    row.status = "pending";
    CHECK(has_line(event_of(row), "SUMMARY:W-P: Weekly ATLAS meeting"));
    CHECK(has_line(event_of(row), "STATUS:TENTATIVE"));
    row.status = std::nullopt;  // writers leave NULL: it means pending
    CHECK(has_line(event_of(row), "SUMMARY:W-P: Weekly ATLAS meeting"));
    row.status = "accepted";
    CHECK(has_line(event_of(row), "SUMMARY:W-A: Weekly ATLAS meeting"));
    CHECK(has_line(event_of(row), "STATUS:CONFIRMED"));
    CHECK(has_line(event_of(row), "CATEGORIES:VideoService - WebcastRequest"));
}

TEST_CASE("services without accept/reject ignore the status") {
    BookingRow row = sample_row(*catalogue.by_slug("mcu"));
    row.status = "pending";
    CHECK(has_line(event_of(row), "SUMMARY:MCU: Weekly ATLAS meeting"));
    CHECK(has_line(event_of(row), "STATUS:CONFIRMED"));
}

TEST_CASE("the title falls back to the event title, then to 'No title defined.'") {
    BookingRow row = sample_row(vidyo);
    row.title = "";
    CHECK(has_line(event_of(row), "SUMMARY:Vidyo: ATLAS"));
    row.title = std::nullopt;
    row.event_title = "";
    CHECK(has_line(event_of(row), "SUMMARY:Vidyo: No title defined."));
}

TEST_CASE("a booking lacking either of its own times takes both from its event") {
    BookingRow row = sample_row(vidyo);
    row.end = std::nullopt;
    const std::string ev = event_of(row);
    CHECK(has_line(ev, "DTSTART:20261207T080000Z"));
    CHECK(has_line(ev, "DTEND:20261207T180000Z"));
}

TEST_CASE("an end before the start is moved to the start") {
    BookingRow row = sample_row(vidyo);
    row.end = utc(2026, 12, 7, 8, 0);
    CHECK(has_line(event_of(row), "DTEND:20261207T090000Z"));
}

TEST_CASE("location shows whichever of location and room exists") {
    BookingRow row = sample_row(vidyo);
    row.room = "";
    CHECK(has_line(event_of(row), "LOCATION:CERN"));
    row.location = std::nullopt;
    row.room = "Room 1";
    CHECK(has_line(event_of(row), "LOCATION:Room 1"));
    row.room = std::nullopt;
    CHECK(event_of(row).find("LOCATION") == std::string::npos);
}

TEST_CASE("the audience line reads 'No restriction' for '' and is absent for NULL") {
    BookingRow row = sample_row(vidyo);
    row.audience = "";
    CHECK(event_of(row).find("DESCRIPTION:Audience: No restriction\\nEvent URL: ") != std::string::npos);
    row.audience = std::nullopt;
    CHECK(event_of(row).find("DESCRIPTION:Event URL: https://indico.example.org/event/56/\r\n") != std::string::npos);
}

TEST_CASE("text in the feed is escaped, and the calendar name too") {
    BookingRow row = sample_row(vidyo);
    row.title = "Budget; Q1, Q2 \\ review";
    CHECK(has_line(event_of(row), "SUMMARY:Vidyo: Budget\\; Q1\\, Q2 \\\\ review"));
    const std::string feed = render({}, std::nullopt, "Services; A, B");
    CHECK(has_line(feed, "X-WR-CALNAME:Services\\; A\\, B"));
}

TEST_CASE("identical data gives identical bytes") {
    const std::vector<BookingRow> rows = {sample_row(vidyo), sample_row(webcast)};
    CHECK(render(rows, 15) == render(rows, 15));
}

TEST_CASE("the writer hands output to the sink in chunks, not as one calendar") {
    struct CountingSink final : Sink {
        void write(std::string_view bytes) override {
            ++writes;
            largest = std::max(largest, bytes.size());
            total += bytes.size();
        }
        std::size_t writes = 0, largest = 0, total = 0;
    } sink;
    FeedSettings settings;
    IcsWriter writer(sink, settings, 10);
    writer.begin({"x"});
    const BookingRow row = sample_row(vidyo);
    for (int i = 0; i < 5000; ++i) writer.add(row);
    writer.finish({});
    CHECK(sink.total > 2'000'000);
    CHECK(sink.writes > 20);
    CHECK(sink.largest < 64 * 1024);
}
