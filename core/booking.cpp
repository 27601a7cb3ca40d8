#include "core/booking.hpp"

#include <fmt/format.h>

#include <iterator>

namespace vx {
namespace {

constexpr std::string_view placeholder = "{event_id}";

bool present(const std::optional<std::string_view>& v) noexcept { return v && !v->empty(); }

}  // namespace

Approval approval(const BookingRow& row) noexcept {
    if (!row.service->has_accept_reject) return Approval::not_applicable;
    return row.status && *row.status == "accepted" ? Approval::accepted : Approval::pending;
}

std::string_view displayed_title(const BookingRow& row) noexcept {
    if (present(row.title)) return *row.title;
    if (present(row.event_title)) return *row.event_title;
    return "No title defined.";
}

Span effective_span(const BookingRow& row) noexcept {
    Span s = row.start && row.end ? Span{*row.start, *row.end} : Span{row.event_start, row.event_end};
    if (s.end < s.start) s.end = s.start;
    return s;
}

void append_summary(std::string& out, const BookingRow& row) {
    out += row.service->prefix();
    switch (approval(row)) {
        case Approval::pending: out += "-P"; break;
        case Approval::accepted: out += "-A"; break;
        case Approval::not_applicable: break;
    }
    out += ": ";
    out += displayed_title(row);
}

void append_location(std::string& out, const BookingRow& row) {
    if (present(row.location)) out += *row.location;
    if (present(row.location) && present(row.room)) out += ": ";
    if (present(row.room)) out += *row.room;
}

void append_uid(std::string& out, const BookingRow& row, std::string_view domain) {
    fmt::format_to(std::back_inserter(out), "indico-collaboration-a{}csbook{}@{}", row.event_id, row.id, domain);
}

EventUrlTemplate::EventUrlTemplate(std::string_view pattern) {
    for (;;) {
        const auto at = pattern.find(placeholder);
        pieces_.emplace_back(pattern.substr(0, at));
        if (at == std::string_view::npos) break;
        pattern.remove_prefix(at + placeholder.size());
    }
}

void EventUrlTemplate::append(std::string& out, std::int64_t event_id) const {
    out += pieces_.front();
    for (std::size_t i = 1; i < pieces_.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "{}", event_id);
        out += pieces_[i];
    }
}

}  // namespace vx
