#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: install the dependencies the way Debian 12
# lays them out (the paths pgsieve's meson.build expects), then build the
# targets with fuzz/oss_fuzz_build.sh.

# libpg_query: a C library, built without the service's instrumentation (as
# Debian's is; pgsieve's own code carries the coverage feedback).
make -C "$SRC/libpg_query" -j"$(nproc)" build
install -D -m 644 "$SRC/libpg_query/libpg_query.a" /usr/lib/libpg_query.a
install -D -m 644 "$SRC/libpg_query/pg_query.h" /usr/include/pg_query.h
install -D -m 644 "$SRC/libpg_query/src/pg_query_internal.h" /usr/include/pg_query/pg_query_internal.h
install -D -m 644 "$SRC/libpg_query/protobuf/pg_query.proto" /usr/include/pg_query/pg_query.proto
mkdir -p /usr/include/postgresql/15/server
cp -r "$SRC/libpg_query/src/postgres/include/." /usr/include/postgresql/15/server/

# RE2: C++, so built with the service's compiler and flags (libc++ ABI).
make -C "$SRC/re2" -j"$(nproc)" CXX="$CXX" CXXFLAGS="$CXXFLAGS -O1 -std=c++17" obj/libre2.a
make -C "$SRC/re2" CXX="$CXX" CXXFLAGS="$CXXFLAGS -O1 -std=c++17" prefix=/usr/local static-install

# Header-only libraries, with the pkg-config names meson looks up.
cp -r "$SRC/tomlplusplus/include/toml++" /usr/local/include/
cp -r "$SRC/json/include/nlohmann" /usr/local/include/
cp -r "$SRC/CLI11/include/CLI" /usr/local/include/
mkdir -p /usr/local/lib/pkgconfig
for pc in "tomlplusplus 3.3.0" "nlohmann_json 3.11.2" "CLI11 2.1.2"; do
  set -- $pc
  printf 'Name: %s\nDescription: %s (headers)\nVersion: %s\nCflags: -I/usr/local/include\n' "$1" "$1" "$2" \
    > "/usr/local/lib/pkgconfig/$1.pc"
done

"$SRC/pgsieve/fuzz/oss_fuzz_build.sh"
