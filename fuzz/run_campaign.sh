#!/usr/bin/env bash
# A local fuzzing campaign: every target at once, sharing the machine's cores,
# for a given wall-clock time; then the new coverage is merged into
# fuzz/corpus/<target>/ and a table of figures is printed.
#
#   fuzz/run_campaign.sh [options] DURATION        DURATION: 90s, 30m, 2h
#     -b DIR    libFuzzer build directory (default: build-fuzz; fuzz/README.md has the command)
#     -t LIST   targets, comma-separated (default: all five)
#     -j N      cores to use (default: nproc); with more cores than targets each
#               target runs N/targets libFuzzer workers (-fork)
#     -o DIR    working directory: per target corpus/, crashes/, log (default: BUILD/campaign);
#               a rerun there keeps the corpus and moves old findings to crashes.previous/
#     -n        do not merge into fuzz/corpus/ (smoke runs)
#     -m        minimise: rebuild fuzz/corpus/<target>/ from scratch (-merge=1 into an
#               empty folder) instead of adding to it
#
# Each target runs libFuzzer in fork mode with crashes, timeouts and OOMs
# ignored, so one finding does not end the campaign; every finding is kept
# in <work>/<target>/crashes/. Exit status: 0 when nothing was found, 1 when
# some target crashed, timed out or ran out of memory, 2 on usage errors.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
targets="check_fuzzer,rewrite_fuzzer,conformance_fuzzer,policy_fuzzer,jsonl_fuzzer"
jobs="$(nproc)"
work=""
merge=1
minimise=0
while getopts "b:t:j:o:nm" opt; do
  case "$opt" in
    b) build="$(cd "$OPTARG" && pwd)" ;;
    t) targets="$OPTARG" ;;
    j) jobs="$OPTARG" ;;
    o) work="$OPTARG" ;;
    n) merge=0 ;;
    m) minimise=1 ;;
    *) sed -n '2,22p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then sed -n '2,22p' "$0" >&2; exit 2; fi
case "$1" in
  *h) seconds=$(( ${1%h} * 3600 )) ;;
  *m) seconds=$(( ${1%m} * 60 )) ;;
  *s) seconds=${1%s} ;;
  *)  seconds=$1 ;;
esac
work="${work:-$build/campaign}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
IFS=, read -r -a list <<< "$targets"
workers=$(( jobs / ${#list[@]} ))
[ "$workers" -ge 1 ] || workers=1

# UBSan reports are findings, not warnings; leaks too (libpg_query frees its
# memory contexts whole, so LeakSanitizer stays quiet unless pgsieve leaks).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

max_len() {  # from fuzz/<target>.options
  sed -n 's/^max_len *= *\([0-9]*\)/\1/p' "$root/fuzz/$1.options"
}

# Runs a command and prints its children's CPU seconds (user + system) to fd 3.
cpu_of() {
  python3 - "$@" <<'PY'
import os, resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
os.write(3, f"{u.ru_utime + u.ru_stime:.0f}\n".encode())
sys.exit(rc)
PY
}

echo "campaign: ${list[*]} for ${seconds}s on $jobs cores ($workers worker(s) per target); work: $work"
pids=()
for t in "${list[@]}"; do
  bin="$build/fuzz/$t"
  [ -x "$bin" ] || { echo "no $bin: build it first (fuzz/README.md)" >&2; exit 2; }
  # Findings of an earlier run in the same place are kept apart, not recounted.
  if [ -d "$work/$t/crashes" ] && [ -n "$(ls -A "$work/$t/crashes")" ]; then
    rm -rf "$work/$t/crashes.previous" && mv "$work/$t/crashes" "$work/$t/crashes.previous"
  fi
  mkdir -p "$work/$t/corpus" "$work/$t/crashes"
  seeds=("$root/fuzz/corpus/$t")
  [ -d "$root/fuzz/regressions/$t" ] && seeds+=("$root/fuzz/regressions/$t")
  mkdir -p "${seeds[0]}"
  ls "${seeds[0]}" | wc -l > "$work/$t/corpus_before"
  (
    cpu_of "$bin" -fork="$workers" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -max_len="$(max_len "$t")" \
      -dict="$build/fuzz/$t.dict" -artifact_prefix="$work/$t/crashes/" \
      "$work/$t/corpus" "${seeds[@]}" > "$work/$t/log" 2>&1 3> "$work/$t/cpu" || true
  ) &
  pids+=($!)
done
wait "${pids[@]}"

found=0
printf '\n%-20s %8s %10s %9s %7s %7s %13s %8s\n' target cpu_s execs exec/s cov ft corpus crashes
for t in "${list[@]}"; do
  bin="$build/fuzz/$t"
  last="$(grep -E '^#[0-9]+: cov: ' "$work/$t/log" | tail -n 1 || true)"
  execs="$(sed -n 's/^#\([0-9]*\): .*/\1/p' <<< "$last")"
  cov="$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<< "$last")"
  ft="$(sed -n 's/.* ft: \([0-9]*\) .*/\1/p' <<< "$last")"
  cpu="$(cat "$work/$t/cpu" 2>/dev/null || echo 0)"
  rate=$(( ${execs:-0} / (cpu > 0 ? cpu : 1) ))
  crashes=$(find "$work/$t/crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  [ "$crashes" -eq 0 ] || found=1
  before="$(cat "$work/$t/corpus_before")"
  if [ "$merge" -eq 1 ]; then
    # Merged without PGSIEVE_FUZZ_KNOWN_BUGS: an input that still triggers a
    # known bug crashes here and stays out of the committed corpus (whose
    # replay tolerates nothing).
    target_dir="$root/fuzz/corpus/$t"
    if [ "$minimise" -eq 1 ]; then
      fresh="$work/$t/minimised"
      rm -rf "$fresh" && mkdir -p "$fresh"
      env -u PGSIEVE_FUZZ_KNOWN_BUGS "$bin" -merge=1 -max_len="$(max_len "$t")" -artifact_prefix="$work/$t/merge-" \
        "$fresh" "$target_dir" "$work/$t/corpus" > "$work/$t/merge.log" 2>&1
      rm -rf "$target_dir" && mv "$fresh" "$target_dir"
    else
      env -u PGSIEVE_FUZZ_KNOWN_BUGS "$bin" -merge=1 -max_len="$(max_len "$t")" -artifact_prefix="$work/$t/merge-" \
        "$target_dir" "$work/$t/corpus" > "$work/$t/merge.log" 2>&1
    fi
  fi
  after="$(ls "$root/fuzz/corpus/$t" | wc -l)"
  printf '%-20s %8s %10s %9s %7s %7s %13s %8s\n' "$t" "$cpu" "${execs:-0}" "$rate" "${cov:-?}" "${ft:-?}" \
    "$before->$after" "$crashes"
done
echo
if [ "$found" -eq 1 ]; then
  echo "findings (reproduce: <build>/fuzz/<target> FILE):"
  find "$work" -path '*/crashes/*' -type f ! -name 'slow-unit-*' | sort
  exit 1
fi
echo "no crash, timeout, leak or OOM"
