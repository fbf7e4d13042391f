#!/usr/bin/env bash
# End-to-end benchmark of a PATTERN: `weir run Benchmarks/rules/fraud.rules` (the design
# contract's fraud pattern with AFTER MATCH SKIP PAST LAST EVENT) against the hand-written C++
# simdjson program that does the same match, whole process, in one run (the throughput ratio,
# not absolute times, is what compares across days and machines).
#
#     Benchmarks/run-fraud.sh [-n RUNS]        (from anywhere; RUNS defaults to 5)
#
# Needs the shared benchmark tools in ../shared/bench (next to the repository). Builds `weir` in
# release mode and the C++ reference (../shared/bench/simdjson_fraud/build.sh), writes
# bench-data/fraud.jsonl (1,000,000 events) and bench-data/fraud-5m.jsonl (5,000,000) and the
# matches of ../shared/bench/fraud_oracle.py for each, if missing. Then:
#
#   - checks that weir's matches (the ids in each alert's data.events) equal the oracle's and the
#     C++ program's, exactly and in order, on both files (1,329 matches on the 1M file);
#   - runs each program once untimed (page cache), then RUNS rounds on the 1M file, alternating
#     weir, the C++ program and weir --single-thread (the order reverses every other round);
#   - measures weir's peak RSS (wait4) on the 1M and the 5M file.
#
# Output: one JSON object per line (machine, each run with its wall and CPU seconds, then the
# summary with medians, peak RSS, the 5M/1M RSS ratio and throughput_ratio_weir_over_cpp = C++
# time / weir time: >= 1.0 means weir is at least as fast as the hand-written program). weir reads
# and parses on a second thread by default; the summary also gives the ratio for weir on one
# thread and the CPU time ratio (weir's user + system seconds over the C++ program's).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/runs.sh" "$@"
shared=../shared/bench
if [[ ! -f $shared/gen_events.py || ! -f $shared/fraud_oracle.py || ! -f $shared/simdjson_fraud/build.sh ]]; then
    echo "$0: $(cd .. && pwd)/shared/bench is missing (gen_events.py, fraud_oracle.py, simdjson_fraud/):" \
        "the fraud benchmark needs the shared benchmark tools next to the repository" >&2
    exit 2
fi

echo "== building weir (release)" >&2
swift build -c release --product weir >&2
weir="$(swift build -c release --show-bin-path)/weir"
mkdir -p bench-data
echo "== building the C++ reference" >&2
cpp=bench-data/simdjson_fraud
sh "$shared/simdjson_fraud/build.sh" "$cpp" >&2
rules=Benchmarks/rules/fraud.rules

for spec in fraud:1000000 fraud-5m:5000000; do
    name=${spec%%:*} count=${spec##*:}
    file=bench-data/$name.jsonl
    if [[ ! -f $file ]]; then
        echo "== writing $file ($count events)" >&2
        python3 "$shared/gen_events.py" fraud "$count" "$file.tmp"
        mv "$file.tmp" "$file"
    fi
    if [[ ! -f bench-data/$name.oracle.tsv || bench-data/$name.oracle.tsv -ot $file ]]; then
        echo "== the oracle's matches on $file" >&2
        python3 "$shared/fraud_oracle.py" "$file" > "bench-data/$name.oracle.tsv.tmp"
        mv "bench-data/$name.oracle.tsv.tmp" "bench-data/$name.oracle.tsv"
    fi
done

echo "== checking the matches" >&2
check() {  # check FILE NAME: weir's matches = the oracle's = the C++ program's, in order
    local weir_out=bench-data/$2.weir.tsv cpp_out=bench-data/$2.cpp.tsv
    "$weir" run "$rules" --input "$1" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    assert e["type"] == "fraud.potential-detected", line
    print("\t".join(e["data"]["events"]))' > "$weir_out"
    "$cpp" "$1" > "$cpp_out" 2>/dev/null
    cmp -s "$weir_out" "bench-data/$2.oracle.tsv" ||
        { echo "weir's matches on $1 ($weir_out) differ from the oracle's (bench-data/$2.oracle.tsv)" >&2; exit 1; }
    cmp -s "$cpp_out" "bench-data/$2.oracle.tsv" ||
        { echo "the C++ program's matches on $1 ($cpp_out) differ from the oracle's" >&2; exit 1; }
    echo "$1: $(wc -l < "$weir_out") matches, the same in order from weir, the oracle and the C++ program" >&2
}
check bench-data/fraud.jsonl fraud
matches=$(wc -l < bench-data/fraud.weir.tsv)
[[ $matches -eq 1329 ]] || { echo "weir found $matches matches on the 1M file, expected 1329" >&2; exit 1; }
check bench-data/fraud-5m.jsonl fraud-5m

echo "== $runs rounds" >&2
exec python3 - "$runs" "$weir" "$cpp" "$rules" "$matches" <<'PY'
import json, os, platform, resource, statistics, subprocess, sys, time

runs, weir, cpp, rules, matches = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
ONE, FIVE = "bench-data/fraud.jsonl", "bench-data/fraud-5m.jsonl"
EVENT_COUNT = 1_000_000

def command(name, events):
    if name == "weir":
        return [weir, "run", rules, "--input", events, "--output", "/dev/null"]
    if name == "weir-single-thread":
        return [weir, "run", rules, "--input", events, "--output", "/dev/null", "--single-thread"]
    return [cpp, events]

def cpu_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

def run(name):
    # Wall seconds, and CPU seconds (user + system, of the reaped child) in cpu_seconds[name].
    cpu_before = cpu_of_children()
    start = time.perf_counter()
    child = subprocess.Popen(command(name, ONE), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"{name}: exit status {child.returncode}: {err.decode()}")
    if name == "cpp" and out.count(b"\n") != matches:
        sys.exit(f"cpp printed {len(out.splitlines())} matches, expected {matches}")
    cpu_seconds[name].append(cpu_of_children() - cpu_before)
    return seconds

def rss(name, events):
    # Peak RSS (MiB) of one more run, measured with wait4.
    child = subprocess.Popen(command(name, events), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"{name} on {events}: wait status {status}")
    return usage.ru_maxrss / 1024

git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
print(json.dumps({"machine": {"cpu": model, "nproc": os.cpu_count(), "kernel": platform.release(),
                              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                              "git_commit": git("rev-parse", "--short", "HEAD"),
                              "events_bytes": os.path.getsize(ONE), "events_5m_bytes": os.path.getsize(FIVE)}}), flush=True)
names = ["weir", "cpp", "weir-single-thread"]
cpu_seconds = {name: [] for name in names}
for name in names:
    run(name)
cpu_seconds = {name: [] for name in names}
results = {name: [] for name in names}
for number in range(1, runs + 1):
    order = names if number % 2 else names[::-1]
    for name in order:
        seconds = run(name)
        results[name].append(seconds)
        print(json.dumps({"run": number, "program": name, "seconds": float(f"{seconds:.4f}"),
                          "cpu_seconds": float(f"{cpu_seconds[name][-1]:.4f}")}), flush=True)
summary = {"summary": "fraud", "runs": runs, "events": EVENT_COUNT, "matches": matches}
for name, samples in results.items():
    median = statistics.median(samples)
    summary[name] = {"median_seconds": float(f"{median:.4f}"), "events_per_second": int(EVENT_COUNT / median),
                     "median_cpu_seconds": float(f"{statistics.median(cpu_seconds[name]):.4f}"),
                     "peak_rss_mib": float(f"{rss(name, ONE):.1f}")}
summary["throughput_ratio_weir_over_cpp"] = float(f"{summary['cpp']['median_seconds'] / summary['weir']['median_seconds']:.3f}")
# weir reads and parses on a second thread by default; on one thread, and CPU for CPU:
summary["throughput_ratio_weir_single_thread_over_cpp"] = float(
    f"{summary['cpp']['median_seconds'] / summary['weir-single-thread']['median_seconds']:.3f}")
summary["cpu_ratio_weir_over_cpp"] = float(
    f"{summary['weir']['median_cpu_seconds'] / summary['cpp']['median_cpu_seconds']:.3f}")
rss5 = rss("weir", FIVE)
summary["weir_peak_rss_5m_mib"] = float(f"{rss5:.1f}")
summary["weir_peak_rss_ratio_5m_over_1m"] = float(f"{rss5 / summary['weir']['peak_rss_mib']:.3f}")
print(json.dumps(summary), flush=True)
PY
