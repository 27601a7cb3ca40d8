// `video-export sign`: prints a signed URL exactly as Indico's documented
// Python client builds it (apikey added, timestamp unless persistent, pairs
// sorted by lower-cased name, urlencoded, HMAC-SHA1, signature appended).

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/signature.hpp"

namespace vx::cli {
namespace {

struct SignOptions {
    std::string key, secret, base, path;
    bool persistent = false, webcal = false;
    std::vector<std::string> params;
};

std::string url_base(const SignOptions& o) {
    if (!o.webcal) return o.base;
    for (const std::string_view scheme : {"https://", "http://"})
        if (std::string_view(o.base).starts_with(scheme)) return "webcal://" + o.base.substr(scheme.size());
    throw std::invalid_argument("--webcal needs an http:// or https:// --base, got '" + o.base + "'");
}

void run(const SignOptions& o) {
    if (o.path.empty() || o.path.front() != '/')
        throw std::invalid_argument("PATH must start with '/', e.g. /export/video/vidyo.ics");
    std::vector<QueryPair> pairs;
    for (const std::string& p : o.params) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0)
            throw std::invalid_argument("parameter '" + p + "' is not of the form name=value");
        pairs.push_back({p.substr(0, eq), p.substr(eq + 1)});
    }
    pairs.push_back({"apikey", o.key});
    if (!o.persistent) {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        pairs.push_back({"timestamp", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count())});
    }
    std::cout << url_base(o) << o.path << '?' << signed_query(o.secret, o.path, pairs) << '\n';
}

}  // namespace

void add_sign_command(CLI::App& app) {
    auto options = std::make_shared<SignOptions>();
    CLI::App* cmd = app.add_subcommand("sign", "Print a signed export URL");
    cmd->add_option("--key", options->key, "API key (token)")->required();
    cmd->add_option("--secret", options->secret, "API key secret")->required();
    cmd->add_flag("--persistent", options->persistent, "No timestamp: a link that does not expire");
    cmd->add_option("--base", options->base, "Scheme, host and mount prefix, e.g. https://indico.example.org/indico");
    cmd->add_flag("--webcal", options->webcal, "Print a webcal:// URL (calendar apps open it as a subscription)");
    cmd->add_option("PATH", options->path, "Path below the mount prefix, e.g. /export/video/vidyo.ics")->required();
    cmd->add_option("params", options->params, "Query parameters as name=value");
    cmd->callback([options] { run(*options); });
}

}  // namespace vx::cli
