#!/usr/bin/env bash
# The licence-plate pipeline on the emulator: every plate the device reads
# (finder on tile 0, its output fed to the reader on tile 1 on the device)
# equals the host chain `xai run finder` then `xai run reader` on the same
# frame, and the pipelined time is below the sequential one.
# Usage: test_plate_pipeline.sh WORK MAKE_MODELS PIPELINE EMULATOR XAI
set -uo pipefail
work="$1" make="$2" pipe="$3" emu="$4" xai="$5"
rm -rf "$work" && mkdir -p "$work/dump"
"$make" "$work/finder.tflite" "$work/reader.tflite" || exit 1
sock="$work/dev.sock"
"$emu" --socket "$sock" --foreground --instant >"$work/emu.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
"$pipe" "emu:$sock" "$work/finder.tflite" "$work/reader.tflite" --frames 6 \
  --dump "$work/dump" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; echo "FAIL: pipeline"; exit 1; }
cat "$work/out.txt"
for k in 0 1 2 3 4 5; do
  "$xai" run "$work/finder.tflite" --input "$work/dump/frame_$k.bin" \
    --output "$work/f_$k.bin" --quiet || exit 1
  "$xai" run "$work/reader.tflite" --input "$work/f_$k.bin" \
    --output "$work/r_$k.bin" --quiet || exit 1
  cmp "$work/dump/plate_$k.bin" "$work/r_$k.bin" || { echo "FAIL: frame $k differs from the host chain"; exit 1; }
done
[ "$(grep -c '^frame ' "$work/out.txt")" -eq 6 ] || { echo "FAIL: not 6 plates"; exit 1; }
awk '/frames:/ { if ($3 + 0 >= $11 + 0) exit 1 }' "$work/out.txt" || { echo "FAIL: pipelined not faster"; exit 1; }
echo "licence_plate_pipeline: 6 plates equal the host chain"
