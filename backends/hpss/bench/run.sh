#!/bin/bash
# Runs the HPSS tape-order benchmark (1,000 files, 20 tapes, 50 requests) against the hsi
# stand-in and prints the figures; also writes them to backends/hpss/target/benchmark-hpss.md.
# Usage: backends/hpss/bench/run.sh [extra maven options, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/../../.."
mvn -B -q -pl backends/hpss -am verify \
    -Dtest=RecallBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dstagehand.benchmark.full=true "$@"
echo
cat backends/hpss/target/benchmark-hpss.md
echo
echo "machine: $(nproc) CPUs"; lscpu | head; java -version 2>&1
