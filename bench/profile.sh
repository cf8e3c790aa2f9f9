#!/usr/bin/env bash
# Where the time goes, in instructions: runs check_bench's profile loop under
# valgrind --tool=callgrind (instruction counts are stable on a noisy machine,
# unlike wall-clock time) for the bare parse and for Firewall::Check over the
# same texts, and prints instructions per statement, their ratio (the
# throughput ratio a quiet machine would show, if instructions were all), and
# the top inclusive functions of each check.
#
#   bash bench/profile.sh                       the default cases (about 10 min)
#   bash bench/profile.sh text2sql/verdict ...  these cases (see check_bench --list)
#
# Output: a table on stdout; callgrind files and callgrind_annotate listings in
# $BUILD/profile/ (open a .out file with kcachegrind for the call graph).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${BUILD:-$ROOT/build-bench}"
command -v valgrind >/dev/null || { echo "profile.sh: apt-get install valgrind" >&2; exit 2; }
BUILD="$BUILD" bash "$ROOT/bench/run.sh" --build-only
BIN="$BUILD/bench/check_bench"
OUT="$BUILD/profile"
mkdir -p "$OUT"
if [ $# -gt 0 ]; then CASES=("$@"); else
  CASES=(text2sql/verdict text2sql/rewrite text2sql/reject_policy text2sql/reject_parse
         regress_select/verdict regress_select/rewrite regress_select/reject_nonread regress_select/backslash
         ladder/4KiB ladder_rewrite/4KiB ladder_reject/16KiB ladder_cte/16KiB)
fi

ir_of() {  # total instructions collected in a callgrind file
  callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}'
}

printf '| case | statements | parse Ir/stmt | check Ir/stmt | parse/check (expected throughput ratio) |\n'
printf '|---|---:|---:|---:|---:|\n'
for c in "${CASES[@]}"; do
  name="${c//\//_}"
  declare -A ir=()
  n=0
  for op in parse check; do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.$op.out" \
      --toggle-collect=pgsieve_bench_profile_loop "$BIN" --profile="$c/$op" >"$OUT/$name.$op.log" 2>&1
    n=$(sed -n 's/^profile [^:]*: \([0-9]*\) statements.*/\1/p' "$OUT/$name.$op.log")
    ir[$op]=$(ir_of "$OUT/$name.$op.out")
    callgrind_annotate --auto=no --inclusive=yes --threshold=99.5 "$OUT/$name.$op.out" >"$OUT/$name.$op.inclusive.txt" 2>/dev/null
    callgrind_annotate --auto=no --threshold=99 "$OUT/$name.$op.out" >"$OUT/$name.$op.self.txt" 2>/dev/null
  done
  awk -v c="$c" -v n="$n" -v p="${ir[parse]}" -v k="${ir[check]}" \
    'BEGIN { printf "| %s | %d | %.0f | %.0f | %.3f |\n", c, n, p / n, k / n, p / k }'
  { echo "### $c"; echo; python3 "$ROOT/bench/cg_diff.py" "$OUT/$name.parse.out" "$OUT/$name.check.out" "$n" 15; echo; } \
    >"$OUT/$name.diff.md"
done
echo
echo "## Where the check's extra instructions go (self cost in the check minus the bare parse, per statement)"
echo
for c in "${CASES[@]}"; do cat "$OUT/${c//\//_}.diff.md"; done
echo "callgrind files and annotations: $OUT"
