#!/bin/bash
# Console benchmark: the operator console's overview (JSON and page), request list, search and
# drill-down with 100,000 stored requests / 1,000,000 catalog rows vs 1,000 / 10,000, embedded
# PostgreSQL, alternating rounds. Usage: benchmarks/console.sh [rounds=5] [GETs per view and round=50]
source "$(dirname "$0")/common.sh"
machine
run_main -Xmx512m org.stagehand.bench.ConsoleBenchmark "$@"
