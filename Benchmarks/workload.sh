#!/usr/bin/env bash
# Makes sure the benchmark workload exists; sourced by run-eval.sh and run-e2e.sh from the
# repository root. Sets `events` to its path.
#
# It also drops the benchmark package's build of the engine's own modules: SwiftPM keeps the
# file list of a path dependency across builds, so a source file added to the engine would be
# missed (and stale objects linked). The benchmark tooling's own build is kept.
rm -rf Benchmarks/.build/release.yaml Benchmarks/.build/*/release/description.json \
    Benchmarks/.build/*/release/Weir*.build Benchmarks/.build/*/release/CSimdJSON.build \
    Benchmarks/.build/*/release/BenchSupport.build Benchmarks/.build/*/release/weir*.build \
    Benchmarks/.build/*/release/EvaluationBenchmarks.build Benchmarks/.build/*/release/Modules/Weir* \
    Benchmarks/.build/*/release/Modules/BenchSupport* Benchmarks/.build/*/release/Modules/CSimdJSON*
events=bench-data/orders.jsonl
if [[ ! -f $events ]]; then
    echo "== writing $events (1,000,000 events)" >&2
    mkdir -p bench-data
    python3 ../shared/bench/gen_events.py orders 1000000 "$events.tmp"
    mv "$events.tmp" "$events"
fi
