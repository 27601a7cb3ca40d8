#pragma once
// Reads what changes rarely and decides what every request means: the service
// catalogue and the data version that caches are validated against.

#include <cstdint>

#include "core/service_catalogue.hpp"
#include "core/time_format.hpp"
#include "sql/connection.hpp"

namespace vx::sql {

ServiceCatalogue load_catalogue(Connection& connection);

struct DataVersion {
    std::int64_t version = 0;
    Timestamp changed_at{};  // Last-Modified

    friend bool operator==(const DataVersion&, const DataVersion&) = default;
};

DataVersion read_data_version(Connection& connection);

}  // namespace vx::sql
