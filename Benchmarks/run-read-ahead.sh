#!/usr/bin/env bash
# End to end: `weir run` reading ahead on a second thread (the default for an input file) against
# `weir run --single-thread`, whole process, alternating, on four rule sets: the fraud PATTERN
# (bench-data/fraud.jsonl), an AGGREGATE per country per minute and one filtering RULE
# (bench-data/orders.jsonl), and a RULE on a type no event has (nothing listens: the least work
# per event, where reading ahead costs more than it saves).
#
#     Benchmarks/run-read-ahead.sh [-n RUNS]        (from anywhere; RUNS defaults to 5)
#
# Needs bench-data/orders.jsonl and bench-data/fraud.jsonl (run-rules.sh and run-fraud.sh write
# them). Output: one JSON object per line (each run, then per rule set the medians and
# speedup = single-thread seconds / read-ahead seconds: above 1.0, reading ahead is faster).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/runs.sh" "$@"
for file in bench-data/orders.jsonl bench-data/fraud.jsonl; do
    [[ -f $file ]] || { echo "$0: $file is missing (Benchmarks/run-rules.sh and run-fraud.sh write it)" >&2; exit 2; }
done
echo "== building weir (release)" >&2
swift build -c release --product weir >&2
weir="$(swift build -c release --show-bin-path)/weir"
nothing=$(mktemp --suffix=.rules)
trap 'rm -f "$nothing"' EXIT
echo "RULE nothing ON 'no.such.type' EMIT 'never' { n: 1 }" > "$nothing"

exec python3 - "$runs" "$weir" "$nothing" <<'PY'
import json, statistics, subprocess, sys, time
runs, weir, nothing = int(sys.argv[1]), sys.argv[2], sys.argv[3]
CASES = {
    "fraud-pattern": ("Benchmarks/rules/fraud.rules", "bench-data/fraud.jsonl"),
    "aggregate-per-country-minute": ("Benchmarks/rules/per-country-minute.rules", "bench-data/orders.jsonl"),
    "filter-rule": ("Benchmarks/rules/filter.rules", "bench-data/orders.jsonl"),
    "nothing-listens": (nothing, "bench-data/orders.jsonl"),
}
def run(argv):
    start = time.perf_counter()
    child = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if child.returncode != 0:
        sys.exit(f"{argv} failed: {child.stderr.decode()}")
    return time.perf_counter() - start
for name, (rules, events) in CASES.items():
    modes = {"read-ahead": [weir, "run", rules, "--input", events, "--output", "/dev/null"]}
    modes["single-thread"] = modes["read-ahead"] + ["--single-thread"]
    for argv in modes.values(): run(argv)   # page cache
    times = {mode: [] for mode in modes}
    for r in range(runs):
        order = list(modes) if r % 2 == 0 else list(reversed(modes))
        for mode in order:
            t = run(modes[mode])
            times[mode].append(t)
            print(json.dumps({"case": name, "run": r + 1, "mode": mode, "seconds": round(t, 4)}), flush=True)
    ahead, single = statistics.median(times["read-ahead"]), statistics.median(times["single-thread"])
    print(json.dumps({"summary": name, "runs": runs, "read_ahead_median_seconds": round(ahead, 4),
                      "single_thread_median_seconds": round(single, 4), "speedup": round(single / ahead, 3)}), flush=True)
PY
