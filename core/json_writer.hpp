#pragma once
// The `json` rendering: the same records in Indico's HTTP API envelope.
// "results" is streamed first and "count", "complete", "ts" and "url" follow
// it, because the count is known only at the end (JSON objects are unordered).

#include <cstdint>
#include <string>

#include "core/feed.hpp"

namespace vx {

class JsonWriter final : public FeedWriter {
public:
    JsonWriter(Sink& sink, const FeedSettings& settings);

    void begin(const FeedHeader& header) override;
    void add(const BookingRow& row) override;
    void finish(const FeedTrailer& trailer) override;

private:
    ChunkedOutput output_;
    const FeedSettings& settings_;
    std::string scratch_;
    std::int64_t count_ = 0;
};

// A JSON string literal (quotes included): '"', '\' and controls escaped,
// invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace vx
