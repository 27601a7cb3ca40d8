#include "fcgi/http_request.hpp"

#include <fcgiapp.h>

#include <cctype>

#include "core/form_encoding.hpp"

namespace vx::service {

std::string percent_decode_path(std::string_view raw) {
    // '+' is literal in a path; only %XX is decoded. Invalid escapes and
    // invalid UTF-8 leave a path that routing refuses with 404.
    std::string plus_safe;
    plus_safe.reserve(raw.size());
    for (const char c : raw) {
        if (c == '+') plus_safe += "%2B";
        else plus_safe.push_back(c);
    }
    return form::decode(plus_safe).text;
}

HttpRequest read_request_with(const std::function<const char*(const char*)>& param) {
    const auto get = [&](const char* name) -> std::optional<std::string> {
        const char* v = param(name);
        if (!v) return std::nullopt;
        return std::string(v);
    };
    HttpRequest r;
    r.method = get("REQUEST_METHOD").value_or("GET");
    r.query = get("QUERY_STRING").value_or("");
    r.remote_addr = get("REMOTE_ADDR").value_or("");
    if (const auto https = get("HTTPS")) {
        std::string v = *https;
        for (char& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
        r.https = v == "on" || v == "1";
    }
    r.forwarded_proto = get("HTTP_X_FORWARDED_PROTO");
    r.if_none_match = get("HTTP_IF_NONE_MATCH");
    r.if_modified_since = get("HTTP_IF_MODIFIED_SINCE");

    if (const auto doc = get("DOCUMENT_URI"); doc && !doc->empty()) {
        r.path = *doc;
    } else if (const auto script = get("SCRIPT_NAME"); script && (!script->empty() || get("PATH_INFO"))) {
        r.path = *script + get("PATH_INFO").value_or("");
    } else {
        const std::string uri = get("REQUEST_URI").value_or("");
        r.path = percent_decode_path(std::string_view(uri).substr(0, uri.find('?')));
    }
    return r;
}

HttpRequest read_request(const FCGX_Request& request) {
    return read_request_with([&](const char* name) { return FCGX_GetParam(name, request.envp); });
}

}  // namespace vx::service
