#!/usr/bin/env bash
# The test command: installs what the tests need, builds with warnings as
# errors, and runs the whole suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DVIDEO_EXPORT_WERROR=ON
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure "$@"
