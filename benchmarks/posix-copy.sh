#!/bin/bash
# POSIX copy benchmark: 1 GiB as one file and as 10,000 files, Stagehand end to end (POST to
# ready, with and without catalog MD5s) vs cp -r and cp -r + sync of the same tree in the same run.
# Needs about 5 GiB free under the directory (default: java.io.tmpdir).
# Usage: benchmarks/posix-copy.sh [directory] [rounds=1] [workers=4] [maxBatchSize=256]
source "$(dirname "$0")/common.sh"
machine
df -h "${1:-/tmp}" | tail -1
run_main -Xmx1g org.stagehand.bench.CopyBenchmark "$@"
