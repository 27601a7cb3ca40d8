#pragma once
// The video services a site offers (table video_services), given as data so
// the logic that resolves SERVICE_ID and names the calendar stays pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vx {

struct Service {
    std::string slug;                           // "vidyo": what URLs say
    std::string type;                           // "Vidyo": what bookings.service_type says
    std::optional<std::string> summary_prefix;  // NULL: the type is the prefix
    bool has_accept_reject = false;             // webcast/recording requests are accepted or not
    bool is_retired = false;                    // old links keep working, with no bookings

    std::string_view prefix() const noexcept { return summary_prefix ? *summary_prefix : type; }
};

// What a SERVICE_ID resolved to.
struct ServiceSelection {
    std::vector<const Service*> requested;  // active services named explicitly, URL order, no duplicates
    std::vector<const Service*> services;   // every active service to export (all of them with `all`)
    bool includes_all = false;

    std::vector<std::string> types() const;  // for the booking query's service filter
};

class ServiceCatalogue {
public:
    ServiceCatalogue() = default;
    explicit ServiceCatalogue(std::vector<Service> services);

    // The CERN set of DESIGN.md §6, which the first migration seeds too.
    static ServiceCatalogue cern();

    const std::vector<Service>& services() const noexcept { return services_; }
    const Service* by_slug(std::string_view slug) const noexcept;
    const Service* by_type(std::string_view type) const noexcept;

    // Slugs as routed → the services to export. Throws RequestError 400
    // "Unknown video service 'X'; known services: all, ..." for the first
    // unknown slug in URL order.
    ServiceSelection resolve(const std::vector<std::string>& slugs) const;

    // "all", then every non-retired slug in alphabetical order.
    std::string known_slugs() const;

private:
    std::vector<Service> services_;
};

// NAME / X-WR-CALNAME: "{calendar_name}: Vidyo, EVO", "{calendar_name}: all
// services", or just "{calendar_name}" when no active service was asked for.
std::string calendar_title(std::string_view calendar_name, const ServiceSelection& selection);

}  // namespace vx
