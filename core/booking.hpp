#pragma once
// One exported booking as the query layer hands it over, and the rules that
// turn its stored values into what a calendar shows (DESIGN.md §5): fallbacks
// to the event, the SUMMARY prefix, approval state, location text. The ICS
// and JSON writers share these, so both renderings always agree on values;
// only the ICS drops the control characters RFC 5545 cannot carry (JSON
// escapes them instead).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/service_catalogue.hpp"
#include "core/time_format.hpp"

namespace vx {

// Views into the storage of the caller (a database row), valid for one add().
struct BookingRow {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    const Service* service = nullptr;
    std::optional<std::string_view> status;  // pending / accepted / NULL (rejected never gets here)
    std::optional<std::string_view> title;
    std::optional<std::string_view> event_title;
    std::optional<Timestamp> start, end;     // the booking's own times
    Timestamp event_start{}, event_end{};
    Timestamp created{}, modified{};
    std::int64_t sequence = 0;
    std::optional<std::string_view> location, room;  // the event's
    std::optional<std::string_view> audience;
};

enum class Approval { not_applicable, pending, accepted };

// Services with accept/reject: "accepted" or pending (NULL counts as pending).
// Others: status is ignored.
Approval approval(const BookingRow& row) noexcept;

// The booking's title, else the event's, else "No title defined." (empty
// strings count as missing).
std::string_view displayed_title(const BookingRow& row) noexcept;

struct Span {
    Timestamp start, end;
};
// The booking's times when it has both, else the event's. An end before the
// start (bad data from a writer) is moved to the start: RFC 5545 refuses it.
Span effective_span(const BookingRow& row) noexcept;

// "{prefix}{-P|-A}: {title}".
void append_summary(std::string& out, const BookingRow& row);

// "{location}: {room}", whichever exists, or empty.
void append_location(std::string& out, const BookingRow& row);

// "indico-collaboration-a{event_id}csbook{id}@{domain}": stable forever.
void append_uid(std::string& out, const BookingRow& row, std::string_view domain);

// config export.event_url_template with "{event_id}" substituted, split once.
class EventUrlTemplate {
public:
    explicit EventUrlTemplate(std::string_view pattern);
    void append(std::string& out, std::int64_t event_id) const;

private:
    std::vector<std::string> pieces_;  // text between the placeholders
};

}  // namespace vx
