#include "core/text_line.hpp"

#include "core/utf8.hpp"

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

void ContentLine::value(std::string_view v, bool escape) {
    const std::size_t size = v.size();
    for (std::size_t i = 0; i < size;) {
        const char c = v[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F) {
            if (escape && (c == '\\' || c == ';' || c == ',')) {
                const char pair[2] = {'\\', c};
                put(pair, 2);
            } else {
                put(&v[i], 1);
            }
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
