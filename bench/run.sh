#!/usr/bin/env bash
# Runs every Stepwise benchmark and writes BENCHMARKS.md at the repository's root.
# Flags go to dev.stepwise.examples.bench.BenchmarkMain, e.g. --long, --sizes=100,500, --skip-jmh.
# MAVEN_ARGS adds Maven options (e.g. "-o -Dmaven.repo.local=/tmp/m2"); STEPWISE_TARGET picks the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${STEPWISE_TARGET:-target}"
# shellcheck disable=SC2086
mvn -B -q ${MAVEN_ARGS:-} -Dstepwise.target="$target" -DskipTests -pl examples -am package
cp="examples/$target/classes:$(cat "examples/$target/classpath.txt")"
exec java -Xmx2g -cp "$cp" dev.stepwise.examples.bench.BenchmarkMain "$@"
