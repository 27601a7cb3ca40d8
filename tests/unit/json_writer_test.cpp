// The json rendering: the same records in Indico's envelope.

#include <catch2/catch.hpp>

#include "core/json_writer.hpp"
#include "tests/unit/writer_fixtures.hpp"

using namespace vx;
using vx::testing::sample_row;

namespace {

const ServiceCatalogue catalogue = ServiceCatalogue::cern();

std::string render(const std::vector<BookingRow>& rows, FeedTrailer trailer) {
    StringSink sink;
    FeedSettings settings;
    JsonWriter writer(sink, settings);
    writer.begin({"ignored"});
    for (const BookingRow& r : rows) writer.add(r);
    writer.finish(trailer);
    return sink.data;
}

}  // namespace

TEST_CASE("a booking renders every field of the contract") {
    BookingRow row = sample_row(*catalogue.by_slug("recording"));
    row.status = std::nullopt;
    row.room = "";
    CHECK(render({row}, {true, 1764681255, "/export/video/recording.json?alarms=5"}) ==
          R"({"results":[{"id":1234,"event_id":56,"uid":"indico-collaboration-a56csbook1234@indico",)"
          R"("service":"recording","status":"pending","title":"Weekly ATLAS meeting",)"
          R"("summary":"R-P: Weekly ATLAS meeting","start":"2026-12-07T09:00:00Z","end":"2026-12-07T10:30:00Z",)"
          R"("modified":"2026-11-02T13:14:15Z","location":"CERN","room":null,"audience":"ATLAS collaborators",)"
          R"("url":"https://indico.example.org/event/56/"}],"count":1,"complete":true,"ts":1764681255,)"
          R"("url":"/export/video/recording.json?alarms=5"})");
}

TEST_CASE("status is null for services without accept/reject, and an incomplete feed says so") {
    BookingRow row = sample_row(*catalogue.by_slug("evo"));
    row.status = "accepted";
    const std::string out = render({row, row}, {false, 0, ""});
    CHECK(out.find(R"("status":null)") != std::string::npos);
    CHECK(out.find(R"("count":2,"complete":false)") != std::string::npos);
}

TEST_CASE("an empty feed has zero results") {
    CHECK(render({}, {true, 5, "/u"}) == R"({"results":[],"count":0,"complete":true,"ts":5,"url":"/u"})");
}

TEST_CASE("JSON strings escape quotes, backslashes and controls and replace invalid UTF-8") {
    std::string out;
    append_json_string(out, std::string("a\"b\\c\nd\x01" "e\xFF" "f ü", 14));
    CHECK(out == "\"a\\\"b\\\\c\\nd\\u0001e\xEF\xBF\xBD" "f ü\"");
}
