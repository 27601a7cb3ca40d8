#include "sql/params.hpp"

#include <fmt/format.h>

#include <iterator>


namespace vx::sql {
namespace {

std::string big_endian(std::uint64_t v, int bytes) {
    std::string out(std::size_t(bytes), '\0');
    for (int i = bytes - 1; i >= 0; --i, v >>= 8) out[std::size_t(i)] = char(v & 0xFF);
    return out;
}

}  // namespace

Params& Params::push(std::string bytes, Oid type, int format, bool null) {
    lengths_.push_back(int(bytes.size()));
    values_.push_back(std::move(bytes));
    nulls_.push_back(null);
    types_.push_back(type);
    formats_.push_back(format);
    return *this;
}

Params& Params::add(std::int64_t v) { return push(big_endian(std::uint64_t(v), 8), oid::int8, 1); }
Params& Params::add(bool v) { return push(std::string(1, v ? '\1' : '\0'), oid::boolean, 1); }

Params& Params::add(Timestamp v) {
    const std::int64_t us = v.time_since_epoch().count() - postgres_epoch_offset_us;
    return push(big_endian(std::uint64_t(us), 8), oid::timestamptz, 1);
}

Params& Params::add_text(std::string_view v, Oid type) { return push(std::string(v), type, 0); }
Params& Params::add_null(Oid type) { return push({}, type, 0, true); }

Params& Params::add_text_array(const std::vector<std::string>& values, Oid type) {
    std::string literal = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) literal.push_back(',');
        literal.push_back('"');
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') literal.push_back('\\');
            literal.push_back(c);
        }
        literal.push_back('"');
    }
    literal.push_back('}');
    return push(std::move(literal), type, 0);
}

void append_timestamptz_text(std::string& out, Timestamp t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", int(ymd.year()),
                   unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
                   hms.seconds().count(), hms.subseconds().count());
}

std::vector<const char*> Params::value_pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) out.push_back(nulls_[i] ? nullptr : values_[i].data());
    return out;
}

}  // namespace vx::sql
