#include "sql/catalogue_store.hpp"

#include "sql/binary_row.hpp"

namespace vx::sql {
namespace {

constexpr Statement select_services{
    "select_services",
    "SELECT slug, type, summary_prefix, has_accept_reject, is_retired FROM video_export.video_services"};

constexpr Statement select_version{"select_data_version",
                                   "SELECT version, changed_at FROM video_export.data_version"};

}  // namespace

ServiceCatalogue load_catalogue(Connection& connection) {
    const Result result = connection.exec(select_services, Params());
    std::vector<Service> services;
    for (int i = 0; i < result.rows(); ++i) {
        const BinaryRow r(result, i);
        Service s;
        s.slug = std::string(r.text(0));
        s.type = std::string(r.text(1));
        if (const auto prefix = r.optional_text(2)) s.summary_prefix = std::string(*prefix);
        s.has_accept_reject = r.boolean(3);
        s.is_retired = r.boolean(4);
        services.push_back(std::move(s));
    }
    return ServiceCatalogue(std::move(services));
}

DataVersion read_data_version(Connection& connection) {
    const Result result = connection.exec(select_version, Params());
    if (result.rows() != 1) throw Error("video_export.data_version must hold exactly one row");
    const BinaryRow r(result, 0);
    return {r.int8(0), r.timestamp(1)};
}

}  // namespace vx::sql
