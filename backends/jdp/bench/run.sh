#!/usr/bin/env bash
# Benchmarks the JDP backend against curl, both downloading from the same fake JDP archive on
# 127.0.0.1 in the same run: 1 GiB as one file and as 1,000 files of 1 MiB.
#
#   backends/jdp/bench/run.sh [work-dir] [rounds]
#
# work-dir needs about 4 GiB free (default: $TMPDIR or /tmp, subdirectory stagehand-jdp-bench);
# it is removed at the end. Set MAVEN_ONLINE=1 to let Maven fetch missing dependencies.
set -euo pipefail

module=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$module/../.." && pwd)
work=${1:-${TMPDIR:-/tmp}/stagehand-jdp-bench}
rounds=${2:-5}
offline=-o
if [[ "${MAVEN_ONLINE:-}" == 1 ]]; then offline=; fi

cd "$root"
mvn -B -q $offline -pl backends/jdp -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")"

echo "## Machine"
echo
echo '```'
echo "nproc: $(nproc)"
lscpu | head -n 15
java -version 2>&1
curl --version | head -n 1
echo "load before: $(uptime)"
echo '```'
echo
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
java -cp "$classpath" org.stagehand.backend.jdp.JdpBenchmark "$work" "$rounds"
echo
echo "load after: $(uptime)"
