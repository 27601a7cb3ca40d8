#include "core/service_catalogue.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace vx {

std::vector<std::string> ServiceSelection::types() const {
    std::vector<std::string> out;
    out.reserve(services.size());
    for (const Service* s : services) out.push_back(s->type);
    return out;
}

ServiceCatalogue::ServiceCatalogue(std::vector<Service> services) : services_(std::move(services)) {
    std::sort(services_.begin(), services_.end(), [](const Service& a, const Service& b) { return a.slug < b.slug; });
}

ServiceCatalogue ServiceCatalogue::cern() {
    return ServiceCatalogue({
        {"vidyo", "Vidyo", std::nullopt, false, false},
        {"evo", "EVO", std::nullopt, false, false},
        {"mcu", "CERNMCU", "MCU", false, false},
        {"webcast", "WebcastRequest", "W", true, false},
        {"recording", "RecordingRequest", "R", true, false},
    });
}

const Service* ServiceCatalogue::by_slug(std::string_view slug) const noexcept {
    for (const Service& s : services_)
        if (s.slug == slug) return &s;
    return nullptr;
}

const Service* ServiceCatalogue::by_type(std::string_view type) const noexcept {
    for (const Service& s : services_)
        if (s.type == type) return &s;
    return nullptr;
}

std::string ServiceCatalogue::known_slugs() const {
    std::string out = "all";
    for (const Service& s : services_) {  // kept sorted by slug
        if (s.is_retired) continue;
        out += ", ";
        out += s.slug;
    }
    return out;
}

ServiceSelection ServiceCatalogue::resolve(const std::vector<std::string>& slugs) const {
    ServiceSelection sel;
    for (const std::string& slug : slugs) {
        if (slug == "all") {
            sel.includes_all = true;
            continue;
        }
        const Service* s = by_slug(slug);
        if (!s) bad_request("Unknown video service '" + utf8::sanitize(slug) + "'; known services: " + known_slugs());
        if (s->is_retired) continue;
        if (std::find(sel.requested.begin(), sel.requested.end(), s) == sel.requested.end())
            sel.requested.push_back(s);
    }
    if (sel.includes_all) {
        for (const Service& s : services_)
            if (!s.is_retired) sel.services.push_back(&s);
    } else {
        sel.services = sel.requested;
    }
    return sel;
}

std::string calendar_title(std::string_view calendar_name, const ServiceSelection& selection) {
    std::string out(calendar_name);
    if (selection.includes_all) return out + ": all services";
    for (std::size_t i = 0; i < selection.requested.size(); ++i) {
        out += i == 0 ? ": " : ", ";
        out += selection.requested[i]->type;
    }
    return out;
}

}  // namespace vx
