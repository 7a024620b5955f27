#!/usr/bin/env bash
# Configures and builds one flavour of xai: release (default), asan, or fuzz.
# Usage: scripts/build.sh [release|asan|fuzz] [cmake --build args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:-release}"
python="$root/build/venv/bin/python"
case "$flavour" in
  release) dir="$root/build/release"; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    dir="$root/build/asan"; args=(-DCMAKE_BUILD_TYPE=Debug -DXAI_SANITIZE=ON) ;;
  fuzz)    dir="$root/build/fuzz"; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DXAI_FUZZ=ON -DCMAKE_C_COMPILER=clang) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release, asan or fuzz)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" -DXAI_PYTHON="$python" -DXAI_LCE_PYTHON="$root/build/venv-lce/bin/python" >/dev/null
shift || true
cmake --build "$dir" "$@" -- -j"$(nproc)"
