#pragma once
// The iCalendar rendering (RFC 5545, DESIGN.md §5), written line by line.
// Rows are rendered into a small buffer that goes to the sink whenever it
// passes a threshold, so memory stays flat whatever the number of bookings.

#include <optional>
#include <string>

#include "core/feed.hpp"

namespace vx {

class IcsWriter final : public FeedWriter {
public:
    // alarm_minutes: a DISPLAY VALARM that many minutes before each start.
    IcsWriter(Sink& sink, const FeedSettings& settings, std::optional<int> alarm_minutes);

    void begin(const FeedHeader& header) override;
    void add(const BookingRow& row) override;
    void finish(const FeedTrailer& trailer) override;

private:
    ChunkedOutput output_;
    const FeedSettings& settings_;
    std::optional<int> alarm_minutes_;
    // Per-row text reused across rows to spare allocations.
    std::string scratch_;  // UID, then the SUMMARY text (reused by the alarm)
    std::string url_;
    std::string location_;
};

}  // namespace vx
