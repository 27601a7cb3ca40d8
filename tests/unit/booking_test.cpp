#include <catch2/catch.hpp>

#include "core/booking.hpp"
#include "tests/unit/writer_fixtures.hpp"

using namespace vx;

TEST_CASE("the event URL template substitutes every {event_id}") {
    std::string out;
    EventUrlTemplate("https://x.org/e/{event_id}/?back={event_id}").append(out, 77);
    CHECK(out == "https://x.org/e/77/?back=77");
    out.clear();
    EventUrlTemplate("https://x.org/static").append(out, 77);
    CHECK(out == "https://x.org/static");
}

TEST_CASE("the UID is built from the event and booking ids and the configured domain") {
    const ServiceCatalogue cat = ServiceCatalogue::cern();
    std::string out;
    append_uid(out, vx::testing::sample_row(*cat.by_slug("evo")), "indico.cern.ch");
    CHECK(out == "indico-collaboration-a56csbook1234@indico.cern.ch");
}
