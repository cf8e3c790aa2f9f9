#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: initdb in a temp
# dir, a unix socket there (listen_addresses='' keeps it off the network), the
# test schema loaded into database `oracle`, and PGSIEVE_PG_HOST/PORT exported.
# The server is stopped by its pid when the command ends, whatever happens.
#   usage: with_postgres.sh SCHEMA.sql COMMAND [ARGS...]
set -euo pipefail
schema=$1; shift
# shellcheck source=../support/throwaway_cluster.sh
source "$(dirname "$0")/../support/throwaway_cluster.sh"
throwaway_cluster_init pgsieve-oracle
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$T/data" -l "$T/log" -w -o \
  "-c listen_addresses='' -c unix_socket_directories='$T' -c port=$port -c fsync=off -c max_locks_per_transaction=256" \
  start >/dev/null || { cat "$T/log" >&2; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -h "$T" -p "$port" -U postgres -d postgres -c "create database oracle" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -h "$T" -p "$port" -U postgres -d oracle -f "$schema" >/dev/null
export PGSIEVE_PG_HOST="$T" PGSIEVE_PG_PORT="$port"
status=0
"$@" || status=$?
exit "$status"
