#pragma once
// The status page (config status_path): the pool's scoreboard summed over all
// workers, in the Prometheus text exposition format.

#include <string>

#include "fcgi/scoreboard.hpp"

namespace vx::service {

std::string render_metrics(const ScoreboardTotals& totals);

}  // namespace vx::service
