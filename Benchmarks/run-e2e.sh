#!/usr/bin/env bash
# End-to-end benchmark: `weir eval --count` against the C++ simdjson reference on the 1M-event
# orders workload, whole process (start, read, parse, filter, print).
#
#     Benchmarks/run-e2e.sh [-n RUNS]        (from anywhere; RUNS defaults to 5)
#
# Steps: builds `weir` in release mode (swift build -c release --product weir, at the repository
# root), builds the reference (Benchmarks/reference/build.sh -> Benchmarks/.build/reference),
# writes bench-data/orders.jsonl with gen_events.py if it is missing, runs each program once
# untimed (so the file is in the page cache), then RUNS rounds of
#
#     weir_file    weir eval --count EXPR --input bench-data/orders.jsonl
#     weir_stdin   weir eval --count EXPR < bench-data/orders.jsonl      (a stream: no file size known)
#     reference    Benchmarks/.build/reference bench-data/orders.jsonl
#     reference_streaming   Benchmarks/.build/reference-streaming bench-data/orders.jsonl
#                  (the same parse and filter, reading in blocks as weir does)
#
# rotating their order each round. Every run must print 59999. Wall time is measured around the
# child process (time.perf_counter), peak RSS is the child's ru_maxrss (wait4).
#
# Output, on standard output, one JSON object per line (progress goes to standard error):
#   {"machine": ...}                                          once: CPU, cores, date, git commit
#   {"run":1,"program":"weir_file","seconds":..,"peak_rss_mib":..,"count":59999}    per run
#   {"summary":"e2e", "weir_file":{"median_seconds":..,"events_per_second":..,"mb_per_second":..,
#    "peak_rss_mib":..}, "weir_stdin":{..}, "reference":{..},
#    "throughput_ratio_weir_over_reference":.., "throughput_ratio_weir_stdin_over_reference":..}
# peak_rss_mib in the summary is the largest over the runs; MB is 10^6 bytes, MiB 2^20.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/runs.sh" "$@"
reference=Benchmarks/.build/reference

echo "== building weir (release)" >&2
swift build -c release --product weir >&2
weir="$(swift build -c release --show-bin-path)/weir"

echo "== building the C++ reference" >&2
mkdir -p Benchmarks/.build
Benchmarks/reference/build.sh "$reference" >&2

source Benchmarks/workload.sh

echo "== $runs rounds" >&2
exec python3 - "$runs" "$weir" "$reference" "$events" <<'PY'
import json, os, platform, statistics, subprocess, sys, time

runs, weir, reference, events = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
EXPRESSION = "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'"
EXPECTED = "59999"
EVENT_COUNT = 1_000_000
size = os.path.getsize(events)

PROGRAMS = {
    "weir_file": ([weir, "eval", "--count", EXPRESSION, "--input", events], False),
    "weir_stdin": ([weir, "eval", "--count", EXPRESSION], True),
    "reference": ([reference, events], False),
    "reference_streaming": ([reference + "-streaming", events], False),
}

def run(name):
    argv, from_stdin = PROGRAMS[name]
    stdin = open(events, "rb") if from_stdin else subprocess.DEVNULL
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if from_stdin:
        stdin.close()
    count = output.decode().strip()
    if child.returncode != 0 or count != EXPECTED:
        sys.exit(f"{name}: exit status {child.returncode}, printed {count!r}, expected {EXPECTED}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
    return {"machine": {"cpu": model, "nproc": os.cpu_count(), "kernel": platform.release(),
                        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "git_commit": git("rev-parse", "--short", "HEAD"),
                        "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
                        "events_file": events, "events_bytes": size}}

print(json.dumps(machine()), flush=True)
for name in PROGRAMS:  # warm-up: the file into the page cache, binaries loaded once
    run(name)

results = {name: [] for name in PROGRAMS}
names = list(PROGRAMS)
for number in range(1, runs + 1):
    shift = (number - 1) % len(names)
    for name in names[shift:] + names[:shift]:
        seconds, rss = run(name)
        results[name].append((seconds, rss))
        print(json.dumps({"run": number, "program": name, "seconds": float(f"{seconds:.4f}"),
                          "peak_rss_mib": float(f"{rss:.1f}"), "count": int(EXPECTED)}), flush=True)

summary = {"summary": "e2e", "runs": runs, "events": EVENT_COUNT, "bytes": size}
for name, samples in results.items():
    median = statistics.median(s for s, _ in samples)
    summary[name] = {"median_seconds": float(f"{median:.4f}"),
                     "min_seconds": float(f"{min(s for s, _ in samples):.4f}"),
                     "events_per_second": int(EVENT_COUNT / median),
                     "mb_per_second": float(f"{size / median / 1e6:.1f}"),
                     "peak_rss_mib": float(f"{max(r for _, r in samples):.1f}")}
reference_median = summary["reference"]["median_seconds"]
summary["throughput_ratio_weir_over_reference"] = float(f"{reference_median / summary['weir_file']['median_seconds']:.3f}")
summary["throughput_ratio_weir_stdin_over_reference"] = float(f"{reference_median / summary['weir_stdin']['median_seconds']:.3f}")
streaming_median = summary["reference_streaming"]["median_seconds"]
summary["throughput_ratio_weir_over_reference_streaming"] = float(f"{streaming_median / summary['weir_file']['median_seconds']:.3f}")
print(json.dumps(summary), flush=True)
PY
