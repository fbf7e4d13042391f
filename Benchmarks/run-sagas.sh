#!/usr/bin/env bash
# End-to-end benchmark of SAGA: 100,000 three-step sagas whose participants are RULEs on the same
# run (Benchmarks/rules/saga.rules: per order, three commands, three replies and the completion)
# against a chain of seven stateless RULEs emitting the same seven events per order
# (Benchmarks/rules/saga-chain.rules), whole process, alternating, in one run; then the peak
# memory of 1,000,000 instances that all wait on a step with its timer
# (Benchmarks/rules/saga-waiting.rules, --no-flush).
#
#     Benchmarks/run-sagas.sh [-n RUNS]        (from anywhere; RUNS defaults to 5)
#
# Writes bench-data/saga-orders-100k.jsonl and saga-orders-1m.jsonl (order.placed events with
# distinct order ids, 10 ms apart; 1 ms apart for the 1M file) if missing. Checks that both
# programs emit 700,000 events. Output: one JSON object per line (each run with its wall and CPU
# seconds, then the summary with medians, sagas per second (also with --single-thread: everything
# on one core), the throughput ratio saga/chain, and the 1M peak RSS with the bytes per waiting
# instance above an empty run's peak).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/runs.sh" "$@"
echo "== building weir (release)" >&2
swift build -c release --product weir >&2
weir="$(swift build -c release --show-bin-path)/weir"
mkdir -p bench-data
python3 - <<'PY'
import json, os
def write(path, n, step_ms):
    if os.path.exists(path): return
    with open(path, "w") as f:
        for i in range(n):
            t = i * step_ms
            f.write(json.dumps({"specversion": "1.0", "id": "o%d" % i, "source": "/shop", "type": "order.placed",
                                "time": "2026-01-01T%02d:%02d:%02d.%03dZ" % (t // 3600000, t // 60000 % 60, t // 1000 % 60, t % 1000),
                                "data": {"orderId": "order-%d" % i, "total": (i * 37) % 1000}}, separators=(",", ":")) + "\n")
write("bench-data/saga-orders-100k.jsonl", 100000, 10)
write("bench-data/saga-orders-1m.jsonl", 1000000, 1)
PY

echo "== checking the outputs" >&2
for rules in saga saga-chain; do
    emitted=$("$weir" run "Benchmarks/rules/$rules.rules" --input bench-data/saga-orders-100k.jsonl | wc -l)
    [[ $emitted -eq 700000 ]] || { echo "$rules emitted $emitted events, expected 700000" >&2; exit 1; }
done

echo "== $runs rounds" >&2
exec python3 - "$runs" "$weir" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
runs, weir = int(sys.argv[1]), sys.argv[2]
events = "bench-data/saga-orders-100k.jsonl"
PROGRAMS = {
    "saga": [weir, "run", "Benchmarks/rules/saga.rules", "--input", events, "--output", "/dev/null"],
    "chain": [weir, "run", "Benchmarks/rules/saga-chain.rules", "--input", events, "--output", "/dev/null"],
    # Everything on one thread (by default the input is read and parsed on a second one).
    "saga-single-thread": [weir, "run", "Benchmarks/rules/saga.rules", "--input", events, "--output", "/dev/null",
                           "--single-thread"],
}
cpu = {name: [] for name in PROGRAMS}
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
def run(argv):
    # Wall seconds; the child's user + system seconds go to cpu_seconds.
    global cpu_seconds
    before = children_cpu()
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = child.communicate()
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"{argv} failed: {err.decode()}")
    cpu_seconds = children_cpu() - before
    return elapsed
def peak_rss(argv):
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0: sys.exit(f"{argv} failed")
    return usage.ru_maxrss * 1024
for name in PROGRAMS: run(PROGRAMS[name])   # page cache
times = {name: [] for name in PROGRAMS}
for r in range(runs):
    order = list(PROGRAMS) if r % 2 == 0 else list(reversed(PROGRAMS))
    for name in order:
        t = run(PROGRAMS[name])
        times[name].append(t)
        cpu[name].append(cpu_seconds)
        print(json.dumps({"run": r + 1, "program": name, "seconds": round(t, 4), "cpu_seconds": round(cpu_seconds, 4)}), flush=True)
waiting = peak_rss([weir, "run", "Benchmarks/rules/saga-waiting.rules", "--input", "bench-data/saga-orders-1m.jsonl",
                    "--output", "/dev/null", "--no-flush"])
empty = peak_rss([weir, "run", "Benchmarks/rules/saga-chain.rules", "--input", "bench-data/saga-orders-1m.jsonl",
                  "--output", "/dev/null"])
saga, chain = statistics.median(times["saga"]), statistics.median(times["chain"])
single = statistics.median(times["saga-single-thread"])
print(json.dumps({"summary": "sagas", "runs": runs, "sagas": 100000,
                  "saga": {"median_seconds": round(saga, 4), "sagas_per_second": round(100000 / saga),
                           "median_cpu_seconds": round(statistics.median(cpu["saga"]), 4)},
                  "saga_single_thread": {"median_seconds": round(single, 4), "sagas_per_second": round(100000 / single),
                                         "median_cpu_seconds": round(statistics.median(cpu["saga-single-thread"]), 4)},
                  "chain": {"median_seconds": round(chain, 4), "orders_per_second": round(100000 / chain)},
                  "throughput_ratio_saga_over_chain": round(chain / saga, 3),
                  "waiting_1m_peak_rss_mib": round(waiting / 2**20, 1),
                  "rules_only_1m_peak_rss_mib": round(empty / 2**20, 1),
                  "bytes_per_waiting_instance": round((waiting - empty) / 1_000_000)}))
PY
