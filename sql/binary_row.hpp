#pragma once
// Decoding of binary-format result values (PostgreSQL's send/recv formats).

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time_format.hpp"
#include "sql/connection.hpp"

namespace vx::sql {

class BinaryRow {
public:
    BinaryRow(const Result& result, int row) noexcept : result_(result), row_(row) {}

    bool is_null(int column) const noexcept { return result_.is_null(row_, column); }
    std::int64_t int8(int column) const noexcept;
    std::int32_t int4(int column) const noexcept;
    bool boolean(int column) const noexcept { return result_.bytes(row_, column)[0] != 0; }
    std::string_view text(int column) const noexcept { return result_.bytes(row_, column); }
    std::optional<std::string_view> optional_text(int column) const noexcept;
    // timestamptz; ±infinity are clamped to the ends of the representable range.
    Timestamp timestamp(int column) const noexcept;
    std::optional<Timestamp> optional_timestamp(int column) const noexcept;

private:
    std::uint64_t big_endian(int column, int bytes) const noexcept;

    const Result& result_;
    int row_;
};

}  // namespace vx::sql
