#!/bin/sh
# Builds the C++ simdjson reference program of the end-to-end benchmark.
# Usage: Benchmarks/reference/build.sh OUTPUT   (needs g++ and libsimdjson-dev)
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTPUT" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
exec g++ -O3 -std=c++17 -Wall -Wextra -o "$1" "$here/reference.cpp" -lsimdjson
