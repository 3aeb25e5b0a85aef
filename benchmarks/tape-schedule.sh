#!/bin/bash
# Tape scheduling benchmark (#15): 40 tapes, 4 drives, 4,000 files, 400 requests over 2 hours;
# FCFS, per-request tape order and a CTA-like policy simulated, Stagehand run for real through the
# HPSS backend and the hsi stand-in in library mode, against the offline lower bound.
# Needs python3 (the stand-in) and about 600 MB free under the directory (default: java.io.tmpdir).
# Usage: benchmarks/tape-schedule.sh [ms per simulated second=20] [seed=15] [directory]
source "$(dirname "$0")/common.sh"
machine
run_main -Xmx1g org.stagehand.bench.TapeScheduleBenchmark "$@"
