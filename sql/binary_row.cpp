#include "sql/binary_row.hpp"

#include <limits>

#include "sql/params.hpp"

namespace vx::sql {

std::uint64_t BinaryRow::big_endian(int column, int bytes) const noexcept {
    const std::string_view b = result_.bytes(row_, column);
    std::uint64_t v = 0;
    for (int i = 0; i < bytes && std::size_t(i) < b.size(); ++i) v = (v << 8) | static_cast<unsigned char>(b[std::size_t(i)]);
    return v;
}

std::int64_t BinaryRow::int8(int column) const noexcept { return std::int64_t(big_endian(column, 8)); }
std::int32_t BinaryRow::int4(int column) const noexcept { return std::int32_t(std::uint32_t(big_endian(column, 4))); }

std::optional<std::string_view> BinaryRow::optional_text(int column) const noexcept {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

Timestamp BinaryRow::timestamp(int column) const noexcept {
    const std::int64_t us = int8(column);
    // 'infinity' and '-infinity' are INT64_MAX and INT64_MIN on the wire.
    constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 2;
    if (us > limit) return Timestamp{std::chrono::microseconds{limit}};
    if (us < -limit) return Timestamp{std::chrono::microseconds{-limit}};
    return Timestamp{std::chrono::microseconds{us + postgres_epoch_offset_us}};
}

std::optional<Timestamp> BinaryRow::optional_timestamp(int column) const noexcept {
    if (is_null(column)) return std::nullopt;
    return timestamp(column);
}

}  // namespace vx::sql
