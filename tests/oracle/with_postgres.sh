#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: initdb in a temp
# dir, a unix socket there (listen_addresses='' keeps it off the network), the
# test schema loaded into database `oracle`, and PGSIEVE_PG_HOST/PORT exported.
# The server is stopped by its pid when the command ends, whatever happens.
#   usage: with_postgres.sh SCHEMA.sql COMMAND [ARGS...]
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
schema=$1; shift
if [ ! -x "$PGBIN/postgres" ]; then
  echo "PostgreSQL 15 is not installed (bash .ci/install-deps installs it)" >&2
  exit 77  # meson: skipped
fi
T=$(mktemp -d /tmp/pgsieve-oracle.XXXXXX)
chmod 755 "$T"
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$T"; AS_PG=(runuser -u postgres --); fi
port=$(( 20000 + RANDOM % 20000 ))
stop() {
  if [ -f "$T/data/postmaster.pid" ]; then
    pid=$(head -1 "$T/data/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap stop EXIT INT TERM HUP
"${AS_PG[@]}" "$PGBIN/initdb" -D "$T/data" -A trust -U postgres --locale=C -E UTF8 >"$T/initdb.log" 2>&1 \
  || { cat "$T/initdb.log" >&2; exit 1; }
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -w -o \
  "-c listen_addresses='' -c unix_socket_directories='$T' -c port=$port -c fsync=off -c max_locks_per_transaction=256" \
  start >/dev/null || { cat "$T/log" >&2; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -h "$T" -p "$port" -U postgres -d postgres -c "create database oracle" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -h "$T" -p "$port" -U postgres -d oracle -f "$schema" >/dev/null
export PGSIEVE_PG_HOST="$T" PGSIEVE_PG_PORT="$port"
status=0
"$@" || status=$?
exit "$status"
