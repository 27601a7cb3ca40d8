#include "core/http_cache.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <date/date.h>
#include <fmt/format.h>

#include "core/signature.hpp"

namespace vx {
namespace {

constexpr std::array<std::string_view, 7> weekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::optional<unsigned> month_number(std::string_view name) {
    for (unsigned i = 0; i < months.size(); ++i)
        if (months[i] == name) return i + 1;
    return std::nullopt;
}

std::optional<Timestamp> make_time(int year, unsigned month, unsigned day, unsigned h, unsigned m, unsigned s) {
    const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
    if (!ymd.ok() || h > 23 || m > 59 || s > 60) return std::nullopt;
    return Timestamp{date::sys_days{ymd}.time_since_epoch() + std::chrono::hours{h} + std::chrono::minutes{m} +
                     std::chrono::seconds{s}};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The opaque part of an entity tag, for weak comparison: W/"x" and "x" match.
std::string_view opaque(std::string_view tag) {
    tag = trim(tag);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
}

}  // namespace

std::string canonical_feed_query(const QueryString& query) {
    return canonical_query_a(query.pairs(), {"ak", "apikey", "signature", "timestamp", "nocache", "nc"});
}

std::string feed_etag(const EtagInputs& in) {
    // Length-prefixed fields, so no two input tuples hash the same text.
    const std::string material =
        fmt::format("v1|{}|{}|{}:{}|{}:{}|{}:{}", in.data_version, in.user_id, in.api_path.size(), in.api_path,
                    in.canonical_query.size(), in.canonical_query, in.config_fingerprint.size(), in.config_fingerprint);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha1(), nullptr))
        throw std::runtime_error("SHA-1 failed in OpenSSL");
    Sha1Digest d{};
    std::memcpy(d.data(), digest, d.size());
    return '"' + to_hex(d) + '"';
}

std::string http_date(Timestamp t) {
    const auto s = std::chrono::floor<std::chrono::seconds>(t);
    const auto day = std::chrono::floor<date::days>(s);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss hms{s - day};
    const date::weekday wd{day};
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", weekdays[wd.c_encoding()], unsigned(ymd.day()),
                       months[unsigned(ymd.month()) - 1], int(ymd.year()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::optional<Timestamp> parse_http_date(std::string_view text) {
    const std::string s(trim(text));
    char wd[16] = {}, mon[4] = {}, tz[4] = {};
    int year = 0;
    unsigned day = 0, h = 0, m = 0, sec = 0;
    int consumed = 0;
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (std::sscanf(s.c_str(), "%3s, %2u %3s %4d %2u:%2u:%2u %3s%n", wd, &day, mon, &year, &h, &m, &sec, tz,
                    &consumed) == 8 &&
        std::size_t(consumed) == s.size() && std::string_view(tz) == "GMT") {
        if (const auto mo = month_number(mon)) return make_time(year, *mo, day, h, m, sec);
        return std::nullopt;
    }
    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years: RFC 9110 §5.6.7
    // says take the year that is not more than 50 years in the future).
    if (std::sscanf(s.c_str(), "%15[A-Za-z], %2u-%3s-%2d %2u:%2u:%2u %3s%n", wd, &day, mon, &year, &h, &m, &sec, tz,
                    &consumed) == 8 &&
        std::size_t(consumed) == s.size() && std::string_view(tz) == "GMT") {
        if (const auto mo = month_number(mon)) return make_time(year < 70 ? 2000 + year : 1900 + year, *mo, day, h, m, sec);
        return std::nullopt;
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (std::sscanf(s.c_str(), "%3s %3s %2u %2u:%2u:%2u %4d%n", wd, mon, &day, &h, &m, &sec, &year, &consumed) == 7 &&
        std::size_t(consumed) == s.size()) {
        if (const auto mo = month_number(mon)) return make_time(year, *mo, day, h, m, sec);
    }
    return std::nullopt;
}

bool is_not_modified(std::optional<std::string_view> if_none_match, std::optional<std::string_view> if_modified_since,
                     std::string_view etag, Timestamp last_modified) {
    if (if_none_match) {
        std::string_view list = *if_none_match;
        if (trim(list) == "*") return true;
        while (!list.empty()) {
            const auto comma = list.find(',');
            if (opaque(list.substr(0, comma)) == opaque(etag)) return true;
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
        return false;  // If-Modified-Since is ignored when If-None-Match is present
    }
    if (if_modified_since) {
        const auto since = parse_http_date(*if_modified_since);
        return since && std::chrono::floor<std::chrono::seconds>(last_modified) <= *since;
    }
    return false;
}

}  // namespace vx
