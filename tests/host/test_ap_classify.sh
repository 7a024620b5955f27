#!/usr/bin/env bash
# docs/ap-spi.md's example program against the device emulator: its output
# bytes equal `xai run` on the same compiled model and input, and a bad
# device gives one line and exit 1.
# Usage: test_ap_classify.sh WORK AP_CLASSIFY EMULATOR XFORMER XAI MODEL
set -uo pipefail
work="$1" ap="$2" emu="$3" xformer="$4" xai="$5" model="$6"
rm -rf "$work" && mkdir -p "$work"
sock="$work/dev.sock"
"$xformer" "$model" -o "$work/m.tflite" --quiet || exit 1
python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 37 + 11) % 256 for i in range(49152)))" >"$work/in.bin"
"$emu" --socket "$sock" --foreground >"$work/emu.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
"$ap" "emu:$sock" "$work/m.tflite" --input "$work/in.bin" --output "$work/out.bin" \
  >"$work/ap.out" 2>&1 || { cat "$work/ap.out"; echo "FAIL: ap_classify"; exit 1; }
cat "$work/ap.out"
"$xai" run "$work/m.tflite" --input "$work/in.bin" --output "$work/ref.bin" --quiet || exit 1
cmp "$work/out.bin" "$work/ref.bin" || { echo "FAIL: outputs differ from xai run"; exit 1; }
grep -q "layers, .* ms on the device" "$work/ap.out" || { echo "FAIL: no timings line"; exit 1; }
"$ap" "emu:$work/nothing.sock" "$work/m.tflite" 2>"$work/err" && { echo "FAIL: bad device accepted"; exit 1; }
[ "$(wc -l <"$work/err")" -eq 1 ] || { cat "$work/err"; echo "FAIL: not one line"; exit 1; }
echo "ap_classify_emulator: outputs equal xai run; bad device: $(cat "$work/err")"
