#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster that logs every
# statement the way a production server being audited would: the logging
# collector on, log_destination = 'csvlog,jsonlog', log_statement = 'all',
# pg_stat_statements and (when Debian's postgresql-15-pgaudit is installed)
# pgaudit in shared_preload_libraries. Like tests/oracle/with_postgres.sh it
# listens on a unix socket in a temp dir only, and stops the server by its pid
# when the command ends, whatever happens.
#
# Exported to the command: PGSIEVE_PG_HOST, PGSIEVE_PG_PORT, PGSIEVE_PG_LOGDIR
# (the collector's directory: pg.csv and pg.json), PGSIEVE_PG_PGAUDIT (1 or 0),
# PGSIEVE_PG_TMP (a scratch dir removed afterwards).
#   usage: with_logging_postgres.sh COMMAND [ARGS...]
set -euo pipefail
# shellcheck source=../support/throwaway_cluster.sh
source "$(dirname "$0")/../support/throwaway_cluster.sh"
throwaway_cluster_init pgsieve-audit-pg scratch
pkglib=$("$PGBIN/pg_config" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
libs=pg_stat_statements
pgaudit=0
if [ -f "$pkglib/pgaudit.so" ]; then libs="$libs,pgaudit"; pgaudit=1; fi
cat >>"$T/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$T'
port = $port
fsync = off
logging_collector = on
log_destination = 'csvlog,jsonlog'
log_directory = '$T/logs'
log_filename = 'pg.log'
log_rotation_age = 0
log_rotation_size = 0
log_statement = 'all'
log_min_error_statement = error
shared_preload_libraries = '$libs'
pg_stat_statements.track = top
CONF
if [ "$pgaudit" = 1 ]; then
  printf "pgaudit.log = 'all'\npgaudit.log_relation = off\n" >>"$T/data/postgresql.conf"
fi
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$T/data" -l "$T/startup.log" -w start >/dev/null \
  || { cat "$T/startup.log" "$T"/logs/* >&2 2>/dev/null; exit 1; }
export PGSIEVE_PG_HOST="$T" PGSIEVE_PG_PORT="$port" PGSIEVE_PG_LOGDIR="$T/logs" PGSIEVE_PG_PGAUDIT="$pgaudit" \
  PGSIEVE_PG_TMP="$T/scratch"
status=0
"$@" || status=$?
exit "$status"
