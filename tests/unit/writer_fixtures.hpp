#pragma once
// Booking rows for the writer tests, built from plain values.

#include <date/date.h>

#include "core/booking.hpp"

namespace vx::testing {

inline Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int micros = 0) {
    using namespace std::chrono;
    return Timestamp{date::sys_days{date::year{y} / mo / d}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} +
                     microseconds{micros}};
}

inline BookingRow sample_row(const Service& service) {
    BookingRow r;
    r.id = 1234;
    r.event_id = 56;
    r.service = &service;
    r.title = "Weekly ATLAS meeting";
    r.event_title = "ATLAS";
    r.start = utc(2026, 12, 7, 9, 0, 0, 500000);
    r.end = utc(2026, 12, 7, 10, 30);
    r.event_start = utc(2026, 12, 7, 8, 0);
    r.event_end = utc(2026, 12, 7, 18, 0);
    r.created = utc(2026, 11, 1, 12, 0, 59, 999999);
    r.modified = utc(2026, 11, 2, 13, 14, 15);
    r.sequence = 3;
    r.location = "CERN";
    r.room = "40-S2-A01";
    r.audience = "ATLAS collaborators";
    return r;
}

}  // namespace vx::testing
