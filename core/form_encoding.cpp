#include "core/form_encoding.hpp"

#include "core/utf8.hpp"

namespace vx::form {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

}  // namespace

void encode_to(std::string& out, std::string_view raw, Tilde tilde) {
    for (const char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c) || (c == '~' && tilde == Tilde::keep)) {
            out.push_back(ch);
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(hex_digits[c >> 4]);
            out.push_back(hex_digits[c & 0xF]);
        }
    }
}

std::string encode(std::string_view raw, Tilde tilde) {
    std::string out;
    out.reserve(raw.size() + raw.size() / 2);
    encode_to(out, raw, tilde);
    return out;
}

Decoded decode(std::string_view encoded) {
    std::string bytes;
    bytes.reserve(encoded.size());
    bool malformed = false;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '+') {
            bytes.push_back(' ');
        } else if (c == '%') {
            const int hi = i + 1 < encoded.size() ? hex_value(encoded[i + 1]) : -1;
            const int lo = i + 2 < encoded.size() ? hex_value(encoded[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                malformed = true;
                bytes.push_back('%');
            } else {
                bytes.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
            }
        } else {
            bytes.push_back(c);
        }
    }
    if (utf8::is_valid(bytes)) return {std::move(bytes), malformed};
    return {utf8::sanitize(bytes), true};
}

}  // namespace vx::form
