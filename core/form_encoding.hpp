#pragma once
// application/x-www-form-urlencoded, both directions, as the signing clients
// Indico documents produce it (Python's urllib.parse.urlencode, PHP's
// http_build_query).

#include <string>
#include <string_view>

namespace vx::form {

// How '~' is written. Python 3's urlencode keeps it; PHP's http_build_query
// (RFC 1738 rules) and Python 2 write %7E. Signatures accept both.
enum class Tilde { keep, percent };

// Space as '+', A-Z a-z 0-9 _ . - kept, '~' per `tilde`, every other byte %XX
// with upper-case hex.
void encode_to(std::string& out, std::string_view raw, Tilde tilde = Tilde::keep);
std::string encode(std::string_view raw, Tilde tilde = Tilde::keep);

struct Decoded {
    std::string text;  // always valid UTF-8
    bool malformed;    // an invalid %-escape or invalid UTF-8 was met
};

// '+' is a space and %XX a byte. Like Python's parse_qs, an invalid escape is
// kept literally and invalid UTF-8 becomes U+FFFD; `malformed` tells the
// parameter stage to refuse the query once authentication has run.
Decoded decode(std::string_view encoded);

}  // namespace vx::form
