#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/route.hpp"

using namespace vx;

namespace {

int status_of(std::string_view path) {
    try {
        parse_export_route(path);
        return 200;
    } catch (const RequestError& e) {
        return e.status();
    }
}

}  // namespace

TEST_CASE("an export path names the services and the format") {
    const ExportRoute r = parse_export_route("/export/video/vidyo-evo-vidyo.ics");
    CHECK(r.slugs == std::vector<std::string>{"vidyo", "evo", "vidyo"});
    CHECK(r.format == FeedFormat::ics);
    CHECK(r.api_path == "/export/video/vidyo-evo-vidyo.ics");
    CHECK(parse_export_route("/export/video/all.json").format == FeedFormat::json);
    CHECK(parse_export_route("/export/video/Web_cast2.ics").slugs == std::vector<std::string>{"Web_cast2"});
}

TEST_CASE("malformed export paths are not found") {
    for (const char* path : {"/export/video/vidyo--evo.ics", "/export/video/-vidyo.ics", "/export/video/vidyo-.ics",
                             "/export/video/.ics", "/export/video/vid%20yo.ics", "/export/video/vidyo",
                             "/export/video/a/b.ics", "/export/video/vidyo.ics/", "/export/Video/vidyo.ics",
                             "/export/video/vidyö.ics", "/export/event/1.ics", "/", ""}) {
        INFO(path);
        CHECK(status_of(path) == 404);
    }
}

TEST_CASE("an unsupported format is not found, with a message naming it") {
    CHECK_THROWS_MATCHES(parse_export_route("/export/video/vidyo.xml"), RequestError,
                         Catch::Matchers::Message("Unsupported format 'xml'; this export serves ics and json"));
    CHECK_THROWS_MATCHES(parse_export_route("/export/video/vidyo.ICS"), RequestError,
                         Catch::Matchers::Message("Unsupported format 'ICS'; this export serves ics and json"));
    CHECK_THROWS_MATCHES(parse_export_route("/export/video/vidyo.ics.json"), RequestError,
                         Catch::Matchers::Message("Unsupported format 'ics.json'; this export serves ics and json"));
}

TEST_CASE("the mount prefix is stripped on whole segments only") {
    CHECK(strip_mount_prefix("/indico/export/video/a.ics", "/indico") == "/export/video/a.ics");
    CHECK(strip_mount_prefix("/indico/export/video/a.ics", "/indico/") == "/export/video/a.ics");
    CHECK(strip_mount_prefix("/export/video/a.ics", "") == "/export/video/a.ics");
    CHECK_FALSE(strip_mount_prefix("/indicox/export/video/a.ics", "/indico").has_value());
    CHECK_FALSE(strip_mount_prefix("/export/video/a.ics", "/indico").has_value());
}
