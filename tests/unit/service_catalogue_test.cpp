#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/service_catalogue.hpp"

using namespace vx;

namespace {

ServiceCatalogue with_retired_evo() {
    auto services = ServiceCatalogue::cern().services();
    for (Service& s : services)
        if (s.slug == "evo") s.is_retired = true;
    return ServiceCatalogue(services);
}

std::vector<std::string> slugs_of(const std::vector<const Service*>& services) {
    std::vector<std::string> out;
    for (const Service* s : services) out.push_back(s->slug);
    return out;
}

}  // namespace

TEST_CASE("slugs resolve in URL order without duplicates") {
    const ServiceCatalogue cat = ServiceCatalogue::cern();
    const ServiceSelection sel = cat.resolve({"vidyo", "evo", "vidyo"});
    CHECK(slugs_of(sel.requested) == std::vector<std::string>{"vidyo", "evo"});
    CHECK(sel.types() == std::vector<std::string>{"Vidyo", "EVO"});
    CHECK(calendar_title("Video services", sel) == "Video services: Vidyo, EVO");
}

TEST_CASE("'all' selects every active service and names the calendar 'all services'") {
    const ServiceCatalogue cat = with_retired_evo();
    const ServiceSelection sel = cat.resolve({"vidyo", "all"});
    CHECK(slugs_of(sel.services) == std::vector<std::string>{"mcu", "recording", "vidyo", "webcast"});
    CHECK(calendar_title("Video services", sel) == "Video services: all services");
}

TEST_CASE("a retired service gives no bookings and is left out of the name") {
    const ServiceCatalogue cat = with_retired_evo();
    const ServiceSelection only_retired = cat.resolve({"evo"});
    CHECK(only_retired.services.empty());
    CHECK(calendar_title("Video services", only_retired) == "Video services");
    CHECK(calendar_title("Video services", cat.resolve({"evo", "mcu"})) == "Video services: CERNMCU");
}

TEST_CASE("an unknown slug is refused naming it and listing the known services") {
    const ServiceCatalogue cat = with_retired_evo();
    CHECK_THROWS_MATCHES(cat.resolve({"vidyo", "skype", "zoom"}), RequestError,
                         Catch::Matchers::Message(
                             "Unknown video service 'skype'; known services: all, mcu, recording, vidyo, webcast"));
    // Case-sensitive.
    CHECK_THROWS_AS(cat.resolve({"Vidyo"}), RequestError);
}

TEST_CASE("the summary prefix is the configured one or the type") {
    const ServiceCatalogue cat = ServiceCatalogue::cern();
    CHECK(cat.by_slug("mcu")->prefix() == "MCU");
    CHECK(cat.by_slug("vidyo")->prefix() == "Vidyo");
    CHECK(cat.by_type("WebcastRequest")->prefix() == "W");
}
