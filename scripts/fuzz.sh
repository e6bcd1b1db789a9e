#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets of fuzz/ with clang in build-fuzz/ (installing clang and its runtime if
# missing), then for each target replays its regression inputs (fuzz/regressions/TARGET/) and fuzzes it for
# FUZZ_SECONDS on a copy of its seed corpus (fuzz/corpus/TARGET/ stays as committed). Exits non-zero if any
# target crashes or breaks an invariant; the input that did it is kept under build-fuzz/fuzz-crashes/.
# usage: [FUZZ_SECONDS=60] [FUZZ_SEED=n] [FUZZ_TARGETS="txt_parser ..."] [JOBS=n] [FUZZ_BUILD=dir] scripts/fuzz.sh
# FUZZ_SEED (default 0: a new random seed each run) fixes libFuzzer's seed, as CI does so that a landing
# does not hang on luck; coverage still depends on timing, so runs are alike, not identical.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
read -r -a targets <<<"${FUZZ_TARGETS:-txt_parser html_parser feed_parser jsonl_reader query_parser german_analyzer}"
# FUZZ_BUILD: another build folder, configured with FUNDSTELLE_FUZZ=ON already (scripts/test.sh makes its
# sanitizer build so, and the fuzzers are built there); the arguments below only configure a new one.
build=${FUZZ_BUILD:-build-fuzz}
started=$(date +%s)

# -O1 without NDEBUG, as libFuzzer suggests: fast enough, and library assertions (nlohmann::json) stay on.
EXTRA_PACKAGES="clang libclang-rt-14-dev" TARGET=fuzz nice -n 15 bash scripts/bootstrap.sh "$build" \
  -DCMAKE_CXX_COMPILER=clang++ -DFUNDSTELLE_FUZZ=ON -DFUNDSTELLE_TESTS=OFF "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DFUNDSTELLE_WERROR="${FUNDSTELLE_WERROR:-OFF}"
echo "fuzz: built in $(($(date +%s) - started)) s"

# A crash or a broken invariant must stop the run (the libraries are built with -fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
limits=(-rss_limit_mb=2048 -timeout=10)
crashes=$build/fuzz-crashes
mkdir -p "$crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One target per core at a time (JOBS, default: the cores): each fuzzer is one process on one core, so two
# cores fuzz two targets in the time of one, each for its full FUZZ_SECONDS.
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# fuzz_one TARGET: replays, fuzzes, and leaves its summary line in $work/TARGET.summary (its log in TARGET.log),
# which alone says how it ended: "ok" last when it passed.
fuzz_one() {
  local t=$1 bin=$build/fuzz/fuzz_$1 log=$work/$1.log result runs secs
  # Inputs that once crashed: given files, the binary runs each once.
  shopt -s nullglob
  local regressions=(fuzz/regressions/"$t"/*)
  shopt -u nullglob
  if [ ${#regressions[@]} -gt 0 ]; then
    if ! nice -n 15 "$bin" "${limits[@]}" "${regressions[@]}" >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      echo "fuzz: $t fails on a regression input (fuzz/regressions/$t/)" >&2
      printf '%-16s regression input fails' "$t" >"$work/$t.summary"
      return
    fi
  fi
  mkdir -p "$work/corpus/$t"
  cp -R fuzz/corpus/"$t"/. "$work/corpus/$t/"
  echo "fuzz: $t for $seconds s (${#regressions[@]} regression inputs replayed)"
  if nice -n 15 "$bin" "${limits[@]}" -seed="${FUZZ_SEED:-0}" -max_total_time="$seconds" -print_final_stats=1 \
       -artifact_prefix="$crashes/$t-" "$work/corpus/$t" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    tail -n 60 "$log" >&2
    echo "fuzz: $t failed; the input is in $crashes/ (after the fix, add it to fuzz/regressions/$t/)" >&2
  fi
  # libFuzzer ends with "Done N runs in S second(s)"; after a crash only the final stats tell the runs.
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -n 1)
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  printf '%-16s %10s runs in %4s s  %s' "$t" "${runs:-?}" "${secs:-?}" "$result" >"$work/$t.summary"
}

for t in "${targets[@]}"; do
  if [ ! -x "$build/fuzz/fuzz_$t" ]; then
    echo "fuzz: no target $t (the targets are fuzz/fuzz_*.cpp)" >&2
    exit 2
  fi
done
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait
# Each target's summary line says how it ended (one without a line stopped before writing it).
failed=()
summary=()
for t in "${targets[@]}"; do
  line=$(cat "$work/$t.summary" 2>/dev/null || printf '%-16s ended without a summary' "$t")
  summary+=("$line")
  [[ $line == *"  ok" ]] || failed+=("$t")
done

echo "fuzz: summary (total $(($(date +%s) - started)) s including the build)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
