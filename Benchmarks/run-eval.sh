#!/usr/bin/env bash
# In-process evaluation benchmark, machine-readable: builds weir-evalbench (release) in
# Benchmarks/.build, writes bench-data/orders.jsonl if missing, and runs it; it prints one JSON
# line per measurement (see Sources/weir-evalbench/main.swift for the fields).
#
#     Benchmarks/run-eval.sh [--rounds 7] [--hot-evaluations 2000000] [--only hot|1M]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source Benchmarks/workload.sh
echo "== building weir-evalbench (release)" >&2
swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build --product weir-evalbench >&2
exec Benchmarks/.build/release/weir-evalbench --events "$events" "$@"
