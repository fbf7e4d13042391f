#!/usr/bin/env bash
# End-to-end benchmark of `weir run` against `weir eval --count` with the same filter, on the
# 1M-event orders workload, whole process, in one run (ratios, not absolute times, are what
# compare across days).
#
#     Benchmarks/run-rules.sh [-n RUNS]        (from anywhere; RUNS defaults to 5)
#
# Builds `weir` in release mode, writes bench-data/orders.jsonl if it is missing, runs each
# program once untimed (page cache), then RUNS rounds of, in rotating order:
#
#     eval_count         weir eval --count FILTER --input bench-data/orders.jsonl
#     run_filter         weir run Benchmarks/rules/filter.rules --input ... --output /dev/null
#     run_country_minute weir run Benchmarks/rules/per-country-minute.rules --input ... --output /dev/null
#     run_customer_hour  weir run Benchmarks/rules/per-customer-hour.rules --input ... --output /dev/null --stats
#
# Each run's output is checked: eval_count prints 59999; run_filter emits 59999 events (checked
# in a separate untimed run to a file); the aggregations emit what --stats reports.
# Output: one JSON object per line (machine, each run, then the summary with medians, peak RSS
# and throughput ratios over eval_count).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/runs.sh" "$@"
echo "== building weir (release)" >&2
swift build -c release --product weir >&2
weir="$(swift build -c release --show-bin-path)/weir"
source Benchmarks/workload.sh

echo "== checking the outputs" >&2
emitted=$("$weir" run Benchmarks/rules/filter.rules --input "$events" | wc -l)
[[ $emitted -eq 59999 ]] || { echo "run_filter emitted $emitted events, expected 59999" >&2; exit 1; }

echo "== $runs rounds" >&2
exec python3 - "$runs" "$weir" "$events" <<'PY'
import json, os, platform, statistics, subprocess, sys, time

runs, weir, events = int(sys.argv[1]), sys.argv[2], sys.argv[3]
FILTER = "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'"
EVENT_COUNT = 1_000_000
size = os.path.getsize(events)
PROGRAMS = {
    "eval_count": [weir, "eval", "--count", FILTER, "--input", events],
    "run_filter": [weir, "run", "Benchmarks/rules/filter.rules", "--input", events, "--output", "/dev/null"],
    "run_country_minute": [weir, "run", "Benchmarks/rules/per-country-minute.rules", "--input", events, "--output", "/dev/null"],
    "run_customer_hour": [weir, "run", "Benchmarks/rules/per-customer-hour.rules", "--input", events,
                          "--output", "/dev/null", "--stats"],
}

def run(name):
    start = time.perf_counter()
    child = subprocess.Popen(PROGRAMS[name], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"{name}: exit status {child.returncode}: {err.decode()}")
    if name == "eval_count" and out.decode().strip() != "59999":
        sys.exit(f"eval_count printed {out!r}")
    return seconds, err.decode()

def rss(name):
    # Peak RSS of one more run, measured with wait4.
    child = subprocess.Popen(PROGRAMS[name], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024

git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
print(json.dumps({"machine": {"cpu": model, "nproc": os.cpu_count(), "kernel": platform.release(),
                              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "git_commit": git("rev-parse", "--short", "HEAD"), "events_bytes": size}}), flush=True)
stats = {}
for name in PROGRAMS:
    _, err = run(name)
    if name == "run_customer_hour":
        stats[name] = err.strip().splitlines()
results = {name: [] for name in PROGRAMS}
names = list(PROGRAMS)
for number in range(1, runs + 1):
    shift = (number - 1) % len(names)
    for name in names[shift:] + names[:shift]:
        seconds, _ = run(name)
        results[name].append(seconds)
        print(json.dumps({"run": number, "program": name, "seconds": float(f"{seconds:.4f}")}), flush=True)
summary = {"summary": "rules", "runs": runs, "events": EVENT_COUNT}
for name, samples in results.items():
    median = statistics.median(samples)
    summary[name] = {"median_seconds": float(f"{median:.4f}"), "events_per_second": int(EVENT_COUNT / median),
                     "peak_rss_mib": float(f"{rss(name):.1f}")}
base = summary["eval_count"]["median_seconds"]
for name in names[1:]:
    summary[f"throughput_ratio_{name}_over_eval_count"] = float(f"{base / summary[name]['median_seconds']:.3f}")
summary["run_customer_hour_stats"] = stats.get("run_customer_hour", [])
print(json.dumps(summary), flush=True)
PY
