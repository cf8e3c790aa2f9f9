#!/usr/bin/env bash
# Peer comparison (not part of the tests or CI; bench/README.md has the table).
#
# Measures, on the same statements (tests/data/text2sql.sql, regress_select.sql)
# and with the same kind of read-only check, pgsieve (Firewall::Check, default
# policy, one thread) against:
#   pglast            Debian's python3-pglast (libpg_query 15's JSON) + a JSON walk
#   libpg-query-wasm  npm libpg-query 15.6.3 (PostgreSQL 15 parser in WebAssembly)
#                     + the same JSON walk in JavaScript
#   node-sql-parser   npm node-sql-parser 5.4.0, whiteListCheck('select::(.*)::(.*)')
# and prints pgsieve's throughput ratio to each, and how many of the corpus's
# non-read statements (regress_all.sql, label != select) each lets through.
#
#   bash bench/peers/run_peers.sh      (as root: installs python3-pglast with
#                                       apt-get and the npm packages into
#                                       $BUILD/peers/node_modules; about 3 minutes)
#
# Needs: nodejs + npm (apt-get install nodejs npm when missing), network access
# to the Debian and npm registries the first time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build-bench}"
WORK="$BUILD/peers"
mkdir -p "$WORK"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
need=()
dpkg-query -W -f='${Status}' python3-pglast 2>/dev/null | grep -q "install ok installed" || need+=(python3-pglast)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "run_peers: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -d "$WORK/node_modules/libpg-query" ] || [ ! -d "$WORK/node_modules/node-sql-parser" ]; then
  echo "run_peers: npm install libpg-query@15.6.3 node-sql-parser@5.4.0 into $WORK" >&2
  (cd "$WORK" && { [ -f package.json ] || echo '{"private": true}' >package.json; } &&
   npm install --no-audit --no-fund --loglevel=error libpg-query@15.6.3 node-sql-parser@5.4.0 >&2)
fi
BUILD="$BUILD" bash "$ROOT/bench/run.sh" --build-only

DATA="$ROOT/tests/data"
DENY="$ROOT/grammar/functions.deny"
# The non-read statements: regress_all records whose label is not "select".
/usr/bin/python3 - "$DATA" "$WORK" <<'PY'
import sys
data, work = sys.argv[1], sys.argv[2]
recs = open(f"{data}/regress_all.sql", "rb").read().split(b"\n\x1e\n")[:-1]
labels = [l.split("\t")[1] for l in open(f"{data}/regress_all.labels.tsv", encoding="utf-8").read().splitlines()[1:]]
keep = [(r, l) for r, l in zip(recs, labels) if l != "select"]
with open(f"{work}/nonread.sql", "wb") as f:
    for r, _ in keep:
        f.write(r + b"\n\x1e\n")
with open(f"{work}/nonread.labels", "w", encoding="utf-8") as f:
    f.write("".join(l + "\n" for _, l in keep))
PY
FILES=("$DATA/text2sql.sql" "$DATA/regress_select.sql" "$WORK/nonread.sql")
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
echo "run_peers: pgsieve" >&2
for f in "${FILES[@]}"; do "$BUILD/bench/check_bench" --measure_file="$f" >>"$RESULTS"; done
echo "run_peers: pglast" >&2
/usr/bin/python3 "$ROOT/bench/peers/readonly_check.py" "$DENY" "${FILES[@]}" >>"$RESULTS"
echo "run_peers: libpg-query (WASM)" >&2
NODE_PATH="$WORK/node_modules" node "$ROOT/bench/peers/readonly_check.js" wasm "$DENY" "${FILES[@]}" >>"$RESULTS"
echo "run_peers: node-sql-parser" >&2
NODE_PATH="$WORK/node_modules" node "$ROOT/bench/peers/readonly_check.js" nsp "$DENY" "${FILES[@]}" >>"$RESULTS"
python3 "$ROOT/bench/peers/report.py" "$RESULTS" "$WORK/nonread.labels"
