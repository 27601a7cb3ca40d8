#pragma once
// One request as the service sees it: the handful of FastCGI parameters it
// uses, copied out of libfcgi's storage (which dies at the next accept).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct FCGX_Request;

namespace vx::service {

struct HttpRequest {
    std::string method;
    std::string path;          // decoded request path, mount prefix included
    std::string query;         // raw QUERY_STRING
    std::string remote_addr;
    bool https = false;        // FastCGI HTTPS=on
    std::optional<std::string> forwarded_proto;    // X-Forwarded-Proto
    std::optional<std::string> if_none_match;
    std::optional<std::string> if_modified_since;
};

// The path comes from DOCUMENT_URI (nginx), else SCRIPT_NAME + PATH_INFO
// (Apache mod_proxy_fcgi, spawn-fcgi setups), else the path part of
// REQUEST_URI, percent-decoded.
HttpRequest read_request(const FCGX_Request& request);

// The same from any parameter lookup (tests use a map).
HttpRequest read_request_with(const std::function<const char*(const char*)>& param);

std::string percent_decode_path(std::string_view raw);

}  // namespace vx::service
