#!/bin/bash
# Size benchmark: a 100,000-ID POST against a 1,000,000-row catalog with the heap capped at 512 MiB,
# and status of one request with 1,000,000 catalog rows / 100,000 requests vs 10,000 / 1,000.
# Embedded PostgreSQL. Usage: benchmarks/size.sh [rounds=5] [GETs per round=1000]
source "$(dirname "$0")/common.sh"
machine
run_main -Xmx512m org.stagehand.bench.SizeBenchmark "$@"
