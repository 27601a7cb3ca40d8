#include "fcgi/fastcgi_output.hpp"

#include <fcgiapp.h>
#include <sys/socket.h>

#include <fmt/format.h>

namespace vx::service {
namespace {

std::string_view reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

}  // namespace

void FastcgiOutput::write_raw(std::string_view bytes) {
    if (bytes.empty()) return;
    // A client that went away shows up as a failed write; the caller stops.
    if (FCGX_PutStr(bytes.data(), int(bytes.size()), request_.out) != int(bytes.size()))
        throw std::runtime_error("write to the web server failed (client gone?)");
}

void FastcgiOutput::start(int status, const Headers& headers) {
    std::string head = fmt::format("Status: {} {}\r\n", status, reason(status));
    for (const auto& [name, value] : headers) fmt::format_to(std::back_inserter(head), "{}: {}\r\n", name, value);
    head += "\r\n";
    started_ = true;
    status_ = status;
    write_raw(head);
}

void FastcgiOutput::send(int status, const Headers& headers, std::string_view body) {
    Headers all = headers;
    if (status != 304) all.emplace_back("Content-Length", std::to_string(body.size()));
    start(status, all);
    write_body(body);
}

void FastcgiOutput::write_body(std::string_view bytes) {
    body_bytes_ += bytes.size();
    if (!head_) write_raw(bytes);
}

void FastcgiOutput::abort() noexcept {
    // Without FCGI_END_REQUEST the web server reports "upstream prematurely
    // closed" and cuts the client's response.
    if (request_.ipcFd >= 0) ::shutdown(request_.ipcFd, SHUT_RDWR);
}

void FeedSink::write(std::string_view bytes) {
    if (streaming_) {
        out_.write_body(bytes);
        return;
    }
    buffer_.append(bytes);
    if (buffer_.size() <= limit_) return;
    streaming_ = true;
    out_.start(200, headers_);
    out_.write_body(buffer_);
    buffer_.clear();
    buffer_.shrink_to_fit();
}

const std::string* FeedSink::finish() {
    if (streaming_) return nullptr;
    out_.send(200, headers_, buffer_);
    return &buffer_;
}

}  // namespace vx::service
