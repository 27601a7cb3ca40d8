// `video-export serve --config FILE`: the FastCGI worker pool.

#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "fcgi/config.hpp"
#include "fcgi/export_handler.hpp"
#include "fcgi/log.hpp"
#include "fcgi/pool.hpp"

namespace vx::cli {
namespace {

service::PoolSettings pool_settings(const service::Config& c) {
    return {c.listen, c.workers, c.max_requests, c.request_timeout_s};
}

void apply_logging(const service::Config& c) {
    service::log::configure(c.log_file, service::log::parse_level(c.log_level));
}

int serve(const std::string& config_path) {
    // The master owns the configuration; workers forked after a reload (HUP)
    // copy the new one.
    auto config = std::make_shared<service::Config>();
    try {
        *config = service::load_config(config_path);
        apply_logging(*config);
    } catch (const std::exception& e) {
        service::log::error("{}", e.what());
        return service::exit_config_error;
    }
    service::log::info("serving on {} with {} workers (config {})", config->listen, config->workers, config_path);
    const auto reload = [config, config_path] {
        service::Config fresh = service::load_config(config_path);  // throws: the old one stays
        apply_logging(fresh);
        *config = std::move(fresh);
        service::log::info("configuration reloaded from {}", config_path);
        return pool_settings(*config);
    };
    const auto make_handler = [config](const service::WorkerContext& context) {
        return std::make_unique<service::ExportHandler>(*config, &context);
    };
    return service::run_pool(pool_settings(*config), make_handler, reload);
}

}  // namespace

void add_serve_command(CLI::App& app) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("serve", "Run the FastCGI worker pool");
    cmd->add_option("--config", *path, "TOML configuration file")->required();
    cmd->callback([path] {
        const int code = serve(*path);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace vx::cli
