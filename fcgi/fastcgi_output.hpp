#pragma once
// Writing an HTTP answer on a FastCGI request: the CGI-style header block
// ("Status: 200 OK"), then the body — whole, with Content-Length, for small
// answers; streamed for large feeds. HEAD answers carry the headers only.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/feed.hpp"

struct FCGX_Request;

namespace vx::service {

using Headers = std::vector<std::pair<std::string, std::string>>;

class FastcgiOutput {
public:
    FastcgiOutput(FCGX_Request& request, bool head) : request_(request), head_(head) {}

    void send(int status, const Headers& headers, std::string_view body);
    // Headers now, body to follow through write_body(); no Content-Length.
    void start(int status, const Headers& headers);
    void write_body(std::string_view bytes);
    // A streamed answer failed half-way: drop the connection without ending
    // the FastCGI request, so the web server and the client see a truncated
    // response, never a well-formed partial calendar.
    void abort() noexcept;

    bool started() const noexcept { return started_; }
    std::size_t body_bytes() const noexcept { return body_bytes_; }
    int status() const noexcept { return status_; }

private:
    void write_raw(std::string_view bytes);

    FCGX_Request& request_;
    bool head_;
    bool started_ = false;
    int status_ = 0;
    std::size_t body_bytes_ = 0;
};

// A Sink for the feed writers: keeps up to `limit` bytes, so a feed that fits
// is sent whole with Content-Length (and can be cached); past the limit it
// sends the headers and streams the rest.
class FeedSink final : public Sink {
public:
    FeedSink(FastcgiOutput& out, std::size_t limit, Headers headers)
        : out_(out), limit_(limit), headers_(std::move(headers)) {}

    void write(std::string_view bytes) override;
    // After the writer finished: sends what is buffered. Returns the whole
    // body when it was buffered (for the cache), else nullptr.
    const std::string* finish();

private:
    FastcgiOutput& out_;
    std::size_t limit_;
    Headers headers_;
    std::string buffer_;
    bool streaming_ = false;
};

}  // namespace vx::service
