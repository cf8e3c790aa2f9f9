# Sourced (not run) by tests/oracle/with_postgres.sh and
# tests/audit/with_logging_postgres.sh: the part of a throwaway PostgreSQL 15
# cluster they share. Sets PGBIN, T (a temp dir, owned by postgres when run as
# root; the data directory is $T/data), AS_PG (the command prefix that runs as
# the cluster's owner) and port; traps EXIT to stop the server by its pid and
# remove $T, whatever happens; runs initdb. Exits 77 (meson: skipped) when
# PostgreSQL 15 is not installed.
#   usage: throwaway_cluster_init NAME [EXTRA_DIR...]   (EXTRA_DIRs: made in $T, owned like it)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

throwaway_cluster_stop() {
  if [ -f "$T/data/postmaster.pid" ]; then
    local pid
    pid=$(head -1 "$T/data/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$T"
}

throwaway_cluster_init() {
  local name=$1; shift
  if [ ! -x "$PGBIN/postgres" ]; then
    echo "PostgreSQL 15 is not installed (bash .ci/install-deps installs it)" >&2
    exit 77
  fi
  T=$(mktemp -d "/tmp/$name.XXXXXX")
  chmod 755 "$T"
  local dir
  for dir in "$@"; do mkdir "$T/$dir"; done
  AS_PG=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$T"
    for dir in "$@"; do chown postgres: "$T/$dir"; done
    AS_PG=(runuser -u postgres --)
  fi
  port=$(( 20000 + RANDOM % 20000 ))
  trap throwaway_cluster_stop EXIT INT TERM HUP
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$T/data" -A trust -U postgres --locale=C -E UTF8 >"$T/initdb.log" 2>&1 \
    || { cat "$T/initdb.log" >&2; exit 1; }
}
