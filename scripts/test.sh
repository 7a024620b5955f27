#!/usr/bin/env bash
# Runs every test: the release build, the same suite under ASan+UBSan, the
# device side as a 32-bit program, warning-only builds at -O3 with gcc and
# clang, and each fuzz target for XAI_FUZZ_SECONDS (default 60). Each stage
# prints its wall and CPU time; a summary follows at the end.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
status=0
summary=()

# CPU seconds of finished children: `times` must run in this shell (in a
# $(...) subshell it would see only its own children), so it writes a file.
times_file="$(mktemp)"
trap 'rm -f "$times_file"' EXIT
cpu_mark() { times > "$times_file"; }
cpu_read() { awk 'NR==2 { split($1, u, /[ms]/); split($2, s, /[ms]/);
                          printf "%.0f", u[1]*60 + u[2] + s[1]*60 + s[2] }' "$times_file"; }
# stage NAME COMMAND...: runs one stage, recording its times; a failing
# stage marks the run failed (a failing build also stops it).
stage() {
  local name="$1"; shift
  echo "== $name"
  local t0=$SECONDS c0 c1
  cpu_mark; c0=$(cpu_read)
  "$@"
  local rc=$?
  cpu_mark; c1=$(cpu_read)
  summary+=("$(printf '%-22s %5d s wall %6d s cpu  %s' "$name" \
    $((SECONDS - t0)) $((c1 - c0)) "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
  [ $rc -eq 0 ] || status=1
  return $rc
}
tests() { (cd "$root/build/$1" && shift && ctest --output-on-failure -j"$(nproc)" "$@"); }

stage "setup" "$root/scripts/setup.sh" || exit 1
for flavour in release asan; do
  stage "build ($flavour)" "$root/scripts/build.sh" "$flavour" || exit 1
  stage "tests ($flavour)" tests "$flavour" -LE fuzz
done
# The device side (runtime, kernels, VPU, flash, protocol, AI server) as a
# 32-bit program, as on the xcore.ai: only those libraries and their tests.
stage "build (m32)" "$root/scripts/build.sh" m32 || exit 1
stage "tests (m32)" tests m32 -L device
# -Werror builds at -O3 (the warnings -O2 does not see); nothing is run.
stage "build (gcc-o3)" "$root/scripts/build.sh" gcc-o3 || exit 1
stage "build (clang-o3)" "$root/scripts/build.sh" clang-o3 || exit 1
stage "build (fuzz)" "$root/scripts/build.sh" fuzz --target xai_fuzzers || exit 1
stage "fuzz (${XAI_FUZZ_SECONDS:-60} s per target)" tests fuzz -L fuzz

echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
