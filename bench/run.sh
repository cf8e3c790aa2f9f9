#!/usr/bin/env bash
# The benchmark command (bench/README.md): configures build-bench/ (release,
# no tests) once, builds bench/check_bench, and runs it.
#
#   bash bench/run.sh                 full run (about 4 minutes): throughput and
#                                     ratios, ladder, latency, allocations, targets
#   bash bench/run.sh --quick         one short repetition of each (about 30 s)
#   bash bench/run.sh --soak          RSS after 10 million checks vs 100 thousand
#                                     (about 1-2 minutes per 10 million on one core)
#   bash bench/run.sh --build-only    just build
#   bash bench/run.sh ARGS...         any other check_bench flag (--reps=5,
#                                     --min_time=1, --benchmark_filter=text2sql, ...)
#
# BUILD=dir overrides the build directory (default: build-bench beside bench/).
# Not part of the tests or CI. Installs nothing but libbenchmark-dev (through
# .ci/install-deps, when present).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build-bench}"
if [ -f "$ROOT/.ci/install-deps" ]; then bash "$ROOT/.ci/install-deps"; fi
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" "$ROOT" --buildtype=release -Dtests=false -Dbenchmarks=true >/dev/null
fi
ninja -C "$BUILD" bench/check_bench >&2
if [ "${1:-}" = "--build-only" ]; then exit 0; fi
exec "$BUILD/bench/check_bench" "$@"
