#!/usr/bin/env bash
# Runs every test: the release build, the same suite under ASan+UBSan, and
# each fuzz target for XAI_FUZZ_SECONDS (default 60).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
status=0
for flavour in release asan; do
  echo "== build ($flavour)"
  "$root/scripts/build.sh" "$flavour" || exit 1
  echo "== tests ($flavour)"
  (cd "$root/build/$flavour" && ctest --output-on-failure -j"$(nproc)" -LE fuzz) || status=1
done
echo "== fuzz (${XAI_FUZZ_SECONDS:-60} s per target)"
"$root/scripts/build.sh" fuzz --target xai_fuzzers || exit 1
(cd "$root/build/fuzz" && ctest --output-on-failure -j"$(nproc)" -L fuzz) || status=1
exit $status
