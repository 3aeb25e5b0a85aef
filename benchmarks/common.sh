# Shared by the benchmark scripts: builds the service and its test classes (unless
# STAGEHAND_BENCH_SKIP_BUILD=1), then runs a benchmark main from the test sources with the
# shaded jar and the test dependencies on the class path. Extra Maven options: MAVEN_OPTS_EXTRA.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${STAGEHAND_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
    # One reactor run: the class path of the service's tests names its sibling modules (and the
    # JDP test jar), which resolve only inside the reactor on a machine where nothing is installed.
    mvn -B -q -DskipTests ${MAVEN_OPTS_EXTRA:-} package dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
if [[ ! -f service/target/stagehand.jar || ! -d service/target/test-classes || ! -f service/target/bench-classpath.txt ]]; then
    echo "build first: benchmarks/ scripts without STAGEHAND_BENCH_SKIP_BUILD=1 do it" >&2
    exit 1
fi
# The shaded jar carries the service and every backend; drop stagehand's own jars from the list.
BENCH_CP="service/target/test-classes:service/target/stagehand.jar:$(tr ':' '\n' < service/target/bench-classpath.txt \
    | grep -v -E '/org/stagehand/|/stagehand-backend-[a-z]+-[^/]*\.jar$' | paste -sd: -)"

machine() {
    echo "### Machine"
    echo
    echo '```'
    echo "nproc: $(nproc)"
    lscpu | head -20
    free -g
    java -version 2>&1
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo '```'
}

run_main() {
    local heap="$1"; shift
    # BENCH_JAVA_OPTS adds JVM options, e.g. -XX:StartFlightRecording=filename=bench.jfr,settings=profile
    java "$heap" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP" "$@"
}
