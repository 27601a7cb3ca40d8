// fcgi_param_dump: a FastCGI responder that answers every request with the
// FastCGI parameters it received, as one JSON object. The end-to-end tests put
// it behind the generated nginx and Apache configurations to pin down exactly
// which parameters each server sends for the path, the query, HTTPS and the
// client address (test_web_server_params.py) — the contract the request
// adapter (fcgi/http_request.cpp) reads.
//
//   fcgi_param_dump HOST:PORT
//
// Bytes outside ASCII are written as \u00XX, one escape per byte, so the
// reader recovers the exact bytes with .encode("latin-1").
// With `dump_status=NNN` in the query it answers with that status instead of
// 200 (to see how a server passes on 304, 405 and friends).
#include <fcgiapp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::string json_string(const char* s) {
    std::string out = "\"";
    for (const unsigned char* p = reinterpret_cast<const unsigned char*>(s); *p; ++p) {
        if (*p == '"' || *p == '\\') {
            out += '\\';
            out += char(*p);
        } else if (*p < 0x20 || *p >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(*p));
            out += buf;
        } else {
            out += char(*p);
        }
    }
    return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s HOST:PORT\n", argv[0]);
        return 2;
    }
    if (FCGX_Init() != 0) return 1;
    const int fd = FCGX_OpenSocket(argv[1], 64);
    if (fd < 0) {
        std::fprintf(stderr, "fcgi_param_dump: cannot listen on %s\n", argv[1]);
        return 1;
    }
    FCGX_Request request;
    FCGX_InitRequest(&request, fd, 0);
    while (FCGX_Accept_r(&request) >= 0) {
        std::string body = "{";
        for (char** env = request.envp; env && *env; ++env) {
            const char* eq = std::strchr(*env, '=');
            if (!eq) continue;
            if (body.size() > 1) body += ",\n";
            body += json_string(std::string(*env, std::size_t(eq - *env)).c_str()) + ": " + json_string(eq + 1);
        }
        body += "}\n";
        int status = 200;
        if (const char* q = FCGX_GetParam("QUERY_STRING", request.envp)) {
            if (const char* s = std::strstr(q, "dump_status=")) status = std::atoi(s + 12);
        }
        // libfcgi's own printf knows no %zu: format with the C library.
        char head[160];
        std::snprintf(head, sizeof head,
                      "Status: %d\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n", status,
                      body.size(), status == 405 ? "Allow: GET, HEAD\r\n" : "");
        FCGX_PutS(head, request.out);
        const char* method = FCGX_GetParam("REQUEST_METHOD", request.envp);
        if (status != 304 && !(method && std::strcmp(method, "HEAD") == 0))
            FCGX_PutStr(body.data(), int(body.size()), request.out);
        FCGX_Finish_r(&request);
    }
    return 0;
}
