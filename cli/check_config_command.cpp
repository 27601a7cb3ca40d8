// `video-export check-config`: validates a configuration file the way `serve`
// reads it and prints the effective value of every key (defaults included) as
// TOML. Exit 0 when the file is valid; 2 with the error on stderr when not —
// the same code for "cannot read" and "invalid", so a deploy script can gate
// a reload on it (`check-config --config F && systemctl reload video-export`).

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "fcgi/config.hpp"

namespace vx::cli {

void add_check_config_command(CLI::App& app) {
    auto path = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("check-config", "Validate a configuration file and print the effective values");
    cmd->add_option("--config", *path, "TOML configuration file, e.g. /etc/video-export/config.toml")->required();
    cmd->callback([path] {
        std::string rendered;
        try {
            rendered = service::render_config(service::load_config(*path));
        } catch (const service::ConfigError& e) {
            std::cerr << "video-export: " << e.what() << '\n';
            throw CLI::RuntimeError(2);
        }
        std::cout << rendered << std::flush;
    });
}

}  // namespace vx::cli
