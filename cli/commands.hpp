#pragma once
// Each sub-command registers its options on the CLI11 app and runs when chosen.

#include <CLI/CLI.hpp>

namespace vx::cli {

void add_sign_command(CLI::App& app);
void add_db_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_check_config_command(CLI::App& app);

}  // namespace vx::cli
