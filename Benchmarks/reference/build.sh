#!/bin/sh
# Builds the C++ simdjson reference program of the end-to-end benchmark.
# Usage: Benchmarks/reference/build.sh OUTPUT   (needs g++ and libsimdjson-dev)
# Writes OUTPUT (reference.cpp: load the file, parse_many) and OUTPUT-streaming (streaming.cpp).
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTPUT" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
g++ -O3 -std=c++17 -Wall -Wextra -o "$1" "$here/reference.cpp" -lsimdjson
exec g++ -O3 -std=c++17 -Wall -Wextra -o "$1-streaming" "$here/streaming.cpp" -lsimdjson
