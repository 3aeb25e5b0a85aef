#!/bin/bash
# HTTP benchmark: POST of 10-ID requests and GET of status vs a no-op endpoint of the same app,
# with wrk at a fixed concurrency over loopback, on an embedded PostgreSQL.
# Usage: benchmarks/http.sh [connections=16] [seconds=10] [rounds=3] [catalog=100000]
source "$(dirname "$0")/common.sh"
if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)..." >&2
    apt-get install -y wrk >/dev/null || { sudo apt-get install -y wrk >/dev/null; }
fi
machine
run_main -Xmx1g org.stagehand.bench.HttpBenchmark "$@"
