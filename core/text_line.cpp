#include "core/text_line.hpp"

#include "core/utf8.hpp"

#include <algorithm>

namespace vx::ical {

ContentLine::ContentLine(std::string& out, std::string_view name_and_params) : out_(out) {
    raw(name_and_params);
    put(":", 1);
}

inline void ContentLine::put(const char* bytes, std::size_t n) {
    if (column_ + n > max_line_octets) {
        out_.append("\r\n ", 3);
        column_ = 1;
    }
    out_.append(bytes, n);
    column_ += n;
}

ContentLine& ContentLine::text(std::string_view value) {
    this->value(value, true);
    return *this;
}

ContentLine& ContentLine::raw(std::string_view value) {
    this->value(value, false);
    return *this;
}

namespace {

// Bytes that go out as they are: printable ASCII, minus what TEXT escapes.
struct PlainBytes {
    bool text[256] = {};
    bool raw[256] = {};
    constexpr PlainBytes() {
        for (int c = 0x20; c < 0x7F; ++c) {
            raw[c] = true;
            text[c] = c != '\\' && c != ';' && c != ',';
        }
    }
};
constexpr PlainBytes plain;

}  // namespace

void ContentLine::put_run(const char* bytes, std::size_t n) {
    // Single-octet units: the run may be cut anywhere.
    while (n > 0) {
        if (column_ == max_line_octets) {
            out_.append("\r\n ", 3);
            column_ = 1;
        }
        const std::size_t k = std::min(n, max_line_octets - column_);
        out_.append(bytes, k);
        column_ += k;
        bytes += k;
        n -= k;
    }
}

void ContentLine::value(std::string_view v, bool escape) {
    const bool* is_plain = escape ? plain.text : plain.raw;
    const std::size_t size = v.size();
    for (std::size_t i = 0; i < size;) {
        // Most text is runs of plain ASCII: copy them whole.
        std::size_t run = i;
        while (run < size && is_plain[static_cast<unsigned char>(v[run])]) ++run;
        if (run > i) {
            put_run(v.data() + i, run - i);
            i = run;
            continue;
        }
        const char c = v[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F) {  // '\\' ';' ',' in TEXT
            const char pair[2] = {'\\', c};
            put(pair, 2);
            ++i;
        } else if (u < 0x80) {
            if (c == '\t') {
                put(&v[i], 1);
            } else if (c == '\n' || c == '\r') {
                if (escape) put("\\n", 2);
                if (c == '\r' && i + 1 < size && v[i + 1] == '\n') ++i;  // CRLF is one line break
            }
            ++i;  // other C0 controls and DEL are dropped
        } else {
            const utf8::Step step = utf8::decode(v, i);
            if (!step.valid) put(utf8::replacement.data(), utf8::replacement.size());
            else if (step.code_point > 0x9F) put(&v[i], step.length);  // C1 controls are dropped
            i += step.length;
        }
    }
}

void ContentLine::end() {
    out_.append("\r\n", 2);
    column_ = 0;
}

void text_property(std::string& out, std::string_view name, std::string_view value) {
    ContentLine(out, name).text(value).end();
}

}  // namespace vx::ical
