#!/usr/bin/env bash
# The embedded example as firmware on a real 32-bit ISA: cross-builds the
# freestanding device library for a Cortex-M3, installs it, builds the
# example against it with find_package(xai), runs it under
# qemu-system-arm (MPS2-AN385, output by semihosting) and checks its output
# equals the host build's, line for line. Also checks that the library
# needs nothing from the C library but string and math functions.
# Usage: test_embedded.sh SOURCE_DIR WORK_DIR MODEL_DIR HOST_EXAMPLE
set -uo pipefail
src="$1" work="$2" model_dir="$3" host_example="$4"
frames=${XAI_EMBEDDED_FRAMES:-12}
for tool in arm-none-eabi-gcc qemu-system-arm; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/setup.sh installs it)"; exit 77; }
done
toolchain="$src/cmake/toolchain-arm-none-eabi.cmake"
mkdir -p "$work"
log="$work/build.log"
step() { echo "== $*"; }
fail() { echo "FAIL: $*"; [ -f "$log" ] && tail -20 "$log"; exit 1; }

step "device library for Cortex-M3"
cmake -S "$src" -B "$work/lib" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DXAI_DEVICE_ONLY=ON -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$work/install" >"$log" 2>&1 || fail "configure"
cmake --build "$work/lib" -- -j2 >>"$log" 2>&1 || fail "build"
cmake --install "$work/lib" >>"$log" 2>&1 || fail "install"
lib="$work/install/lib/libxai_device.a"
[ -f "$lib" ] || fail "no $lib"

step "what the library takes from the C library"
arm-none-eabi-nm -u --format=just-symbols "$lib" | sort -u >"$work/undef.txt"
arm-none-eabi-nm --defined-only --format=just-symbols "$lib" | sort -u >"$work/def.txt"
comm -23 "$work/undef.txt" "$work/def.txt" >"$work/needs.txt"
allowed='^(l?l?abs|__aeabi_[a-z0-9]+|__popcount[sd]i2|__clz[sd]i2|__ctz[sd]i2|mem(chr|cmp|cpy|move|set)|str(cat|chr|cmp|cpy|len|ncat|ncmp|ncpy|pbrk|rchr|spn|cspn|str)|(exp|expm1|log|log1p|log2|log10|pow|floor|ceil|round|trunc|frexp|ldexp|sqrt|fabs|tanh|sin|cos|tan|atan|atan2|asin|acos|fmod|lround|lrint|rint|nearbyint|fmin|fmax|erf|sinh|cosh)f?)$'
bad=$(grep -Ev "$allowed" "$work/needs.txt" | tr '\n' ' ')
[ -z "$bad" ] || fail "the device library needs $bad (no heap, stdio or OS allowed)"
echo "needs only: $(tr '\n' ' ' <"$work/needs.txt" | sed 's/__aeabi_[a-z0-9]* //g') + libgcc helpers"

step "example firmware with find_package(xai)"
cmake -S "$src/examples/embedded" -B "$work/app" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_PREFIX_PATH="$work/install" \
  -DEXAMPLE_MODEL_DIR="$model_dir" -DEXAMPLE_FRAMES="$frames" \
  -DCMAKE_BUILD_TYPE=Release ${XAI_EMBEDDED_CMAKE_ARGS:-} >"$log" 2>&1 \
  || fail "configure example"
cmake --build "$work/app" >>"$log" 2>&1 || fail "build example"
elf="$work/app/embedded_example.elf"
arm-none-eabi-size "$elf"

step "run under qemu-system-arm (mps2-an385)"
timeout 300 qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic \
  -monitor none -serial none -semihosting-config enable=on,target=native \
  -kernel "$elf" >"$work/qemu.out" 2>"$work/qemu.err"
rc=$?
cat "$work/qemu.out"
[ $rc -eq 0 ] || { cat "$work/qemu.err"; fail "qemu exit status $rc"; }

step "host run"
"$host_example" "$frames" >"$work/host.out" || fail "host example failed"
diff "$work/host.out" "$work/qemu.out" >"$work/diff" \
  || { cat "$work/diff"; fail "Cortex-M output differs from the host's"; }
grep -q "^done: $frames frames" "$work/qemu.out" || fail "no summary line"
echo "embedded_cortex_m: Cortex-M3 output equals the host's ($frames frames)"
