// video-export: FastCGI iCalendar export of video-service bookings.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"video-export: signed iCalendar feeds of video-conference, webcast and recording bookings"};
    app.require_subcommand(1);
    vx::cli::add_sign_command(app);
    vx::cli::add_db_command(app);
    vx::cli::add_serve_command(app);
    vx::cli::add_check_config_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "video-export: %s\n", e.what());
        return 1;
    }
    return 0;
}
