#include "core/json_writer.hpp"

#include <fmt/format.h>

#include <iterator>

#include "core/utf8.hpp"

namespace vx {
namespace {

void append_json_optional(std::string& out, const std::optional<std::string_view>& v, bool empty_is_null) {
    if (!v || (empty_is_null && v->empty())) out += "null";
    else append_json_string(out, *v);
}

void append_json_time(std::string& out, Timestamp t) {
    out.push_back('"');
    append_iso_utc(out, t);
    out.push_back('"');
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    for (std::size_t i = 0; i < text.size();) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x80) {
            const utf8::Step step = utf8::decode(text, i);
            out.append(step.valid ? text.substr(i, step.length) : utf8::replacement);
            i += step.length;
            continue;
        }
        switch (u) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", unsigned(u));
                else out.push_back(char(u));
        }
        ++i;
    }
    out.push_back('"');
}

JsonWriter::JsonWriter(Sink& sink, const FeedSettings& settings) : output_(sink), settings_(settings) {}

void JsonWriter::begin(const FeedHeader&) { output_.text += "{\"results\":["; }

void JsonWriter::add(const BookingRow& row) {
    std::string& out = output_.text;
    if (count_++ > 0) out.push_back(',');
    fmt::format_to(std::back_inserter(out), "{{\"id\":{},\"event_id\":{},\"uid\":", row.id, row.event_id);
    scratch_.clear();
    append_uid(scratch_, row, settings_.uid_domain);
    append_json_string(out, scratch_);
    out += ",\"service\":";
    append_json_string(out, row.service->slug);
    out += ",\"status\":";
    switch (approval(row)) {
        case Approval::pending: out += "\"pending\""; break;
        case Approval::accepted: out += "\"accepted\""; break;
        case Approval::not_applicable: out += "null"; break;
    }
    out += ",\"title\":";
    append_json_string(out, displayed_title(row));
    out += ",\"summary\":";
    scratch_.clear();
    append_summary(scratch_, row);
    append_json_string(out, scratch_);
    const Span span = effective_span(row);
    out += ",\"start\":";
    append_json_time(out, span.start);
    out += ",\"end\":";
    append_json_time(out, span.end);
    out += ",\"modified\":";
    append_json_time(out, row.modified);
    out += ",\"location\":";
    append_json_optional(out, row.location, true);
    out += ",\"room\":";
    append_json_optional(out, row.room, true);
    out += ",\"audience\":";
    append_json_optional(out, row.audience, false);
    out += ",\"url\":";
    scratch_.clear();
    settings_.event_url.append(scratch_, row.event_id);
    append_json_string(out, scratch_);
    out.push_back('}');
    output_.flush_if_full();
}

void JsonWriter::finish(const FeedTrailer& trailer) {
    fmt::format_to(std::back_inserter(output_.text), "],\"count\":{},\"complete\":{},\"ts\":{},\"url\":", count_,
                   trailer.complete, trailer.timestamp);
    append_json_string(output_.text, trailer.url);
    output_.text += "}";
    output_.flush();
}

}  // namespace vx
