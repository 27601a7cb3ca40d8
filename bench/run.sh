#!/usr/bin/env bash
# The calendar writer against python3-icalendar, side by side in one run
# (docs/performance.md, "Calendar writer"). Usage, from anywhere:
#     bash bench/run.sh
# Builds Release in build-bench/, needs libbenchmark-dev and Debian's
# /usr/bin/python3 with python3-icalendar (the pyenv python3 has no icalendar).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-bench
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target writer_bench >/dev/null
bench=$build/bench/writer_bench

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs);" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# Both sides render the same records: writer_bench's generator, dumped. The
# Python side checks first that our calendar of the first 3000 carries the
# values icalendar writes for them, so the two really do the same job.
"$bench" --dump-records 100000 "$work/records.json"
"$bench" --dump-records 3000 "$work/check.json" "$work/check.ics"

# One after the other, not at once: on a small machine they would compete for
# the same cores. Figures are medians of CPU time on both sides.
echo
echo "== C++ (Google Benchmark: 5 repetitions, medians) =="
"$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
         --benchmark_out="$work/cpp.json" --benchmark_out_format=json 2>&1 | grep -E '^(Benchmark|BM_|---)'
echo
echo "== Python =="
"$py" bench/python_icalendar_bench.py "$work/records.json" --check "$work/check.ics" --json "$work/python.json"

echo
"$py" - "$work/cpp.json" "$work/python.json" <<'EOF'
import json, sys
cpp = {b["run_name"]: b["items_per_second"] for b in json.load(open(sys.argv[1]))["benchmarks"]
       if b.get("aggregate_name") == "median"}
py = {c["records"]: c["records_per_s"] for c in json.load(open(sys.argv[2]))["cases"]}
print(f"{'records/s (CPU time)':24} {'C++ IcsWriter':>14} {'python3-icalendar':>18} {'ratio':>7}")
for n in (300, 100000):
    c, p = cpp[f"BM_ics_writer/{n}"], py[n]
    print(f"{f'ICS, {n:,} records':24} {c:>14,.0f} {p:>18,.0f} {c / p:>6.0f}x")
print(f"{'JSON, 100,000 records':24} {cpp['BM_json_writer/100000']:>14,.0f}")
print("target: ICS at least 50x python3-icalendar's records/s")
EOF
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
