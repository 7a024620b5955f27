#!/usr/bin/env bash
# Long fuzz runs for docs/fuzzing.md: every target (or those named) at once,
# at the lowest priority (FUZZ_NICE, default 19), until RUNS executions or SECONDS seconds each.
# Each works on a copy of its build corpus in build/fuzz-long/NAME and logs
# to build/fuzz-long/NAME.log; crashes go to build/fuzz-long/NAME-crashes/.
# Usage: scripts/fuzz_long.sh [RUNS [SECONDS [TARGET...]]]
#        scripts/fuzz_long.sh report     (one line per target from the logs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/build/fuzz/tests/fuzz"
out="$root/build/fuzz-long"
mkdir -p "$out"

if [ "${1:-}" = report ]; then
  for log in "$out"/*.log; do
    name="$(basename "$log" .log)"
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
    last="$(grep -E '^#[0-9]+' "$log" | tail -1 || true)"
    [ -n "$runs" ] || runs="$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')"
    rate="$(echo "$last" | grep -o 'exec/s: [0-9]*' | grep -o '[0-9]*' || true)"
    # slow-unit-* files are libFuzzer's notes on slow inputs, not failures.
    crashes="$(find "$out/$name-crashes" -type f \( -name 'crash-*' -o -name 'oom-*' \
               -o -name 'timeout-*' -o -name 'leak-*' \) 2>/dev/null | wc -l)"
    secs="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo running)"
    echo "$name: $runs executions, $rate exec/s, $secs s, $crashes crashes"
  done
  exit 0
fi

runs="${1:-10000000}"
seconds="${2:-3600}"
shift 2 || shift $# || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(cd "$fuzz" && ls fuzz_* | grep -v seeds))
for name in "${targets[@]}"; do
  mkdir -p "$out/$name" "$out/$name-crashes" "$out/bin"
  cp -r "$fuzz/corpus/$name/." "$out/$name/"
  # A copy of the binary: rebuilding the fuzz tree does not disturb a run.
  cp "$fuzz/$name" "$out/bin/$name"
  flags=()
  case "$name" in
    fuzz_flexbuf) flags=(-max_len=1024) ;;
    fuzz_xformer) flags=(-max_len=65536) ;;
  esac
  nice -n "${FUZZ_NICE:-19}" "$out/bin/$name" -runs="$runs" -max_total_time="$seconds" \
    -print_final_stats=1 -rss_limit_mb=2048 "${flags[@]}" \
    -artifact_prefix="$out/$name-crashes/" "$out/$name" > "$out/$name.log" 2>&1 &
  echo "$name: pid $! (log $out/$name.log)"
done
