#!/bin/bash -eu
# Builds pgsieve's fuzz targets for OSS-Fuzz / ClusterFuzzLite: called by their
# build.sh (.clusterfuzzlite/build.sh) inside the base-builder image, where
# $CC/$CXX/$CFLAGS/$CXXFLAGS (sanitizer and coverage flags), $LIB_FUZZING_ENGINE,
# $WORK and $OUT are set. The dependencies are installed by the Dockerfile.
#
# Writes to $OUT, per target: the binary, <target>.dict (the generated
# dictionary), <target>.options and <target>_seed_corpus.zip (fuzz/corpus/ and
# fuzz/regressions/). The fuzzing service then runs them unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(check_fuzzer rewrite_fuzzer conformance_fuzzer policy_fuzzer jsonl_fuzzer)
build="$WORK/pgsieve-build"

# buildtype=plain: the service's $CFLAGS/$CXXFLAGS decide optimisation and
# instrumentation (meson reads them at setup); assertions stay on.
# prefer_static: the runner image has none of the build image's libraries.
rm -rf "$build"
meson setup "$build" --buildtype=plain -Dprefer_static=true -Db_lundef=false \
  -Dfuzz=enabled -Dfuzzing_engine=oss-fuzz -Dfuzzer_ldflags="$LIB_FUZZING_ENGINE" \
  -Dtests=false -Dbenchmarks=false -Dpostgres_tests=disabled \
  -Dpg_server_include="${PGSIEVE_PG_SERVER_INCLUDE:-/usr/include/postgresql/15/server}"
ninja -C "$build" $(for t in "${targets[@]}"; do echo "fuzz/$t fuzz/$t.dict"; done)

for t in "${targets[@]}"; do
  cp "$build/fuzz/$t" "$build/fuzz/$t.dict" "fuzz/$t.options" "$OUT/"
  seeds=()
  for dir in "fuzz/corpus/$t" "fuzz/regressions/$t"; do
    [ -d "$dir" ] && seeds+=("$dir")
  done
  if [ ${#seeds[@]} -gt 0 ]; then
    rm -f "$OUT/${t}_seed_corpus.zip"
    find "${seeds[@]}" -type f -print0 | xargs -0 zip -q -j "$OUT/${t}_seed_corpus.zip"
  fi
done
