#pragma once
// Typed statement parameters. Values travel separately from the SQL text
// (never spliced into it); numbers, booleans and times in binary form, text
// and arrays as text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time_format.hpp"

namespace vx::sql {

using Oid = unsigned int;

namespace oid {
inline constexpr Oid boolean = 16, int8 = 20, text = 25, inet = 869, timestamptz = 1184, uuid = 2950,
                     int8_array = 1016, text_array = 1009, bool_array = 1000, timestamptz_array = 1185;
}

class Params {
public:
    Params& add(std::int64_t v);
    Params& add(bool v);
    Params& add(Timestamp v);
    Params& add_text(std::string_view v, Oid type = oid::text);
    template <class T>
    Params& add(const std::optional<T>& v, Oid null_type) {
        if (v) return add(*v);
        return add_null(null_type);
    }
    Params& add_null(Oid type);
    // A one-dimensional array literal of text values ('{"a","b"}').
    Params& add_text_array(const std::vector<std::string>& values, Oid type = oid::text_array);

    int size() const noexcept { return int(values_.size()); }
    const Oid* types() const noexcept { return types_.data(); }
    // Pointers into this object: valid while it lives and is not modified.
    std::vector<const char*> value_pointers() const;
    const int* lengths() const noexcept { return lengths_.data(); }
    const int* formats() const noexcept { return formats_.data(); }

private:
    Params& push(std::string bytes, Oid type, int format, bool null = false);

    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::vector<Oid> types_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
};

// The text form of a timestamptz value, "2026-12-04 09:30:00.250000+00", for
// array literals and COPY data (single values travel in binary).
void append_timestamptz_text(std::string& out, Timestamp t);

// Microseconds between the Unix epoch and PostgreSQL's (2000-01-01).
inline constexpr std::int64_t postgres_epoch_offset_us = 946'684'800'000'000;

}  // namespace vx::sql
