#!/usr/bin/env bash
# Sourced by the run-*.sh runners with their arguments (`source .../runs.sh "$@"`): reads
# `-n RUNS` (a positive integer, default 5) into `runs`, and moves to the repository root.
runs=5
while getopts "n:h" option; do
    case $option in
        n) runs=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS]" >&2; exit 2 ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "$0: RUNS must be a positive integer" >&2; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
