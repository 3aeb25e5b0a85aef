#!/bin/bash
# Tape REST benchmark: a stage of 1,000 paths and a poll of a 1,000-file request vs no-op endpoints
# of the same app with bodies of the same size (wrk, loopback, embedded PostgreSQL), then FTS's
# pattern (500 requests x 200 files polled every 10 s) with poll latency and service CPU per poll.
# Usage: benchmarks/tape-rest.sh [connections=16] [seconds=10] [rounds=3] [ftsSeconds=60]
# BENCH_SERVER_JAVA_OPTS adds JVM options to the service process (it runs as a process of its own).
source "$(dirname "$0")/common.sh"
if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)..." >&2
    apt-get install -y wrk >/dev/null || { sudo apt-get install -y wrk >/dev/null; }
fi
machine
run_main -Xmx1g org.stagehand.bench.TapeRestBenchmark "$@"
