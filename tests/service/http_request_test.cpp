#include <catch2/catch.hpp>

#include <map>

#include "fcgi/http_request.hpp"

using vx::service::read_request_with;

namespace {

vx::service::HttpRequest read(const std::map<std::string, std::string>& params) {
    return read_request_with([&](const char* name) -> const char* {
        const auto it = params.find(name);
        return it == params.end() ? nullptr : it->second.c_str();
    });
}

}  // namespace

TEST_CASE("nginx's DOCUMENT_URI gives the path") {
    const auto r = read({{"REQUEST_METHOD", "HEAD"}, {"DOCUMENT_URI", "/indico/export/video/vidyo.ics"},
                         {"SCRIPT_NAME", "/indico/export/video/vidyo.ics"}, {"QUERY_STRING", "a=1"},
                         {"REQUEST_URI", "/indico/export/video/vidyo.ics?a=1"}});
    CHECK(r.method == "HEAD");
    CHECK(r.path == "/indico/export/video/vidyo.ics");
    CHECK(r.query == "a=1");
}

TEST_CASE("without DOCUMENT_URI, SCRIPT_NAME and PATH_INFO give the path") {
    CHECK(read({{"SCRIPT_NAME", "/export"}, {"PATH_INFO", "/video/all.ics"}}).path == "/export/video/all.ics");
    CHECK(read({{"SCRIPT_NAME", "/export/video/all.ics"}}).path == "/export/video/all.ics");
}

TEST_CASE("as a last resort REQUEST_URI's path is decoded") {
    CHECK(read({{"REQUEST_URI", "/export/video/vid%79o.ics?x=%20"}}).path == "/export/video/vidyo.ics");
    CHECK(read({{"REQUEST_URI", "/export/video/a+b.ics"}}).path == "/export/video/a+b.ics");
}

TEST_CASE("HTTPS, the forwarded protocol and the validators are read") {
    const auto r = read({{"HTTPS", "ON"}, {"HTTP_X_FORWARDED_PROTO", "https"}, {"REMOTE_ADDR", "10.0.0.1"},
                         {"HTTP_IF_NONE_MATCH", "\"x\""}, {"HTTP_IF_MODIFIED_SINCE", "Tue, 01 Dec 2026 10:00:00 GMT"}});
    CHECK(r.https);
    CHECK(r.forwarded_proto == "https");
    CHECK(r.remote_addr == "10.0.0.1");
    CHECK(r.if_none_match == "\"x\"");
    CHECK(r.if_modified_since);
    CHECK_FALSE(read({{"HTTPS", "off"}}).https);
    CHECK_FALSE(read({}).https);
}
