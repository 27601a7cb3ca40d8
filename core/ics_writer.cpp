#include "core/ics_writer.hpp"

#include <fmt/format.h>

#include <iterator>

#include "core/text_line.hpp"

namespace vx {
namespace {

using ical::ContentLine;

void raw_property(std::string& out, std::string_view name, std::string_view value) {
    ContentLine(out, name).raw(value).end();
}

void time_property(std::string& out, std::string_view name, Timestamp t) {
    // "DTSTART:20261204T093000Z" never needs folding.
    out += name;
    out.push_back(':');
    append_ical_utc(out, t);
    out += "\r\n";
}

}  // namespace

IcsWriter::IcsWriter(Sink& sink, const FeedSettings& settings, std::optional<int> alarm_minutes)
    : output_(sink), settings_(settings), alarm_minutes_(alarm_minutes) {}

void IcsWriter::begin(const FeedHeader& header) {
    std::string& out = output_.text;
    out += "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    ical::text_property(out, "PRODID", settings_.prodid);
    out += "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n";
    // NAME is RFC 7986; X-WR-* are what Apple, Google and Outlook read.
    ical::text_property(out, "NAME", header.title);
    ical::text_property(out, "X-WR-CALNAME", header.title);
    ical::text_property(out, "X-WR-CALDESC", header.title);
    raw_property(out, "REFRESH-INTERVAL;VALUE=DURATION", settings_.refresh_interval);
    raw_property(out, "X-PUBLISHED-TTL", settings_.refresh_interval);
    output_.flush_if_full();
}

void IcsWriter::add(const BookingRow& row) {
    std::string& out = output_.text;
    out += "BEGIN:VEVENT\r\n";
    {
        ContentLine uid(out, "UID");
        scratch_.clear();
        append_uid(scratch_, row, settings_.uid_domain);
        uid.raw(scratch_).end();
    }
    // DTSTAMP is the modification time, not the time of the request:
    // identical data must give identical bytes (DESIGN.md §5).
    time_property(out, "DTSTAMP", row.modified);
    time_property(out, "CREATED", row.created);
    time_property(out, "LAST-MODIFIED", row.modified);
    fmt::format_to(std::back_inserter(out), "SEQUENCE:{}\r\n", row.sequence);
    const Span span = effective_span(row);
    time_property(out, "DTSTART", span.start);
    time_property(out, "DTEND", span.end);

    scratch_.clear();
    append_summary(scratch_, row);
    ical::text_property(out, "SUMMARY", scratch_);
    out += approval(row) == Approval::pending ? "STATUS:TENTATIVE\r\n" : "STATUS:CONFIRMED\r\n";
    ContentLine(out, "CATEGORIES").text("VideoService - ").text(row.service->type).end();

    std::string& url = url_;
    url.clear();
    settings_.event_url.append(url, row.event_id);
    raw_property(out, "URL", url);
    location_.clear();
    append_location(location_, row);
    if (!location_.empty()) ical::text_property(out, "LOCATION", location_);
    {
        ContentLine description(out, "DESCRIPTION");
        if (row.audience) {
            description.text("Audience: ").text(row.audience->empty() ? "No restriction" : *row.audience).text("\n");
        }
        description.text("Event URL: ").text(url).end();
    }
    if (alarm_minutes_) {
        // RFC 5545 §3.6.6: a DISPLAY alarm has ACTION, TRIGGER and DESCRIPTION
        // and no SUMMARY; the popup shows the description.
        out += "BEGIN:VALARM\r\nACTION:DISPLAY\r\n";
        fmt::format_to(std::back_inserter(out), "TRIGGER:-PT{}M\r\n", *alarm_minutes_);
        ical::text_property(out, "DESCRIPTION", scratch_);
        out += "END:VALARM\r\n";
    }
    out += "END:VEVENT\r\n";
    output_.flush_if_full();
}

void IcsWriter::finish(const FeedTrailer&) {
    output_.text += "END:VCALENDAR\r\n";
    output_.flush();
}

}  // namespace vx
