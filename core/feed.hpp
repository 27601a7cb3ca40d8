#pragma once
// The seam between the query layer and the renderings: a FeedWriter takes the
// feed's header, then booking rows one at a time, then the trailer, and writes
// to a Sink as it goes. Neither side holds the whole feed.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/booking.hpp"

namespace vx {

// Where bytes go: a string in tests and for cached feeds, the FastCGI stream
// in the service.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void write(std::string_view bytes) = 0;
};

class StringSink final : public Sink {
public:
    void write(std::string_view bytes) override { data.append(bytes); }
    std::string data;
};

// A writer's output buffer: renderings append to `text`, and it goes to the
// sink in chunks of about `chunk` bytes.
class ChunkedOutput {
public:
    static constexpr std::size_t chunk = 32 * 1024;

    explicit ChunkedOutput(Sink& sink) : sink_(sink) { text.reserve(chunk + 4096); }

    void flush_if_full() {
        if (text.size() >= chunk) flush();
    }
    void flush() {
        sink_.write(text);
        text.clear();
    }

    std::string text;

private:
    Sink& sink_;
};

// config [export], as the renderings need it.
struct FeedSettings {
    std::string prodid = "-//Indico//Video Export//EN";
    std::string uid_domain = "indico";
    std::string calendar_name = "Video services";
    std::string refresh_interval = "PT1H";
    EventUrlTemplate event_url{"https://indico.example.org/event/{event_id}/"};
};

struct FeedHeader {
    std::string title;  // calendar_title(): NAME and X-WR-CALNAME
};

struct FeedTrailer {
    bool complete = true;         // false when max_records cut rows off
    std::int64_t timestamp = 0;   // JSON "ts": unix time of the data (Last-Modified)
    std::string url;              // JSON "url": the request, without credentials
};

class FeedWriter {
public:
    virtual ~FeedWriter() = default;
    virtual void begin(const FeedHeader& header) = 0;
    virtual void add(const BookingRow& row) = 0;
    virtual void finish(const FeedTrailer& trailer) = 0;
};

}  // namespace vx
