#!/usr/bin/env bash
# Configures and builds one flavour of xai: release (default), asan, fuzz,
# gcc-o3 or clang-o3 (warning checks), m32 (the device side as a 32-bit program).
# Usage: scripts/build.sh [release|asan|fuzz|gcc-o3|clang-o3|m32] [cmake --build args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flavour="${1:-release}"
python="$root/build/venv/bin/python"
case "$flavour" in
  release) dir="$root/build/release"; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    dir="$root/build/asan"; args=(-DCMAKE_BUILD_TYPE=Debug -DXAI_SANITIZE=ON) ;;
  fuzz)    dir="$root/build/fuzz"; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DXAI_FUZZ=ON -DCMAKE_C_COMPILER=clang) ;;
  # -O3 with each compiler: warning checks only (-Werror), nothing is run.
  gcc-o3)  dir="$root/build/gcc-o3"; args=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O3 -DCMAKE_C_COMPILER=gcc) ;;
  clang-o3) dir="$root/build/clang-o3"; args=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O3 -DCMAKE_C_COMPILER=clang) ;;
  # The device-side libraries and their tests only, gcc -m32 with ASan+UBSan
  # (ctest -L device): width, overflow and alignment faults show at run time.
  m32)     dir="$root/build/m32"; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DXAI_SANITIZE=ON -DXAI_DEVICE_TESTS=ON -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-m32.cmake") ;;
  *) echo "build.sh: unknown flavour '$flavour' (release, asan, fuzz, gcc-o3, clang-o3 or m32)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja "${args[@]}" -DXAI_WERROR=ON -DXAI_PYTHON="$python" -DXAI_LCE_PYTHON="$root/build/venv-lce/bin/python" >/dev/null
shift || true
cmake --build "$dir" "$@" -- -j"$(nproc)"
