#!/usr/bin/env bash
# The main job: install, build, and run the seed's hello-world flow on the
# device emulator: compile the demo classifier with the xformer, send it to
# the device, classify each demo image, and check the printed classes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" release
bin="$root/build/release/tools"
demo="$root/examples/demo"
work="$root/build/hello"
mkdir -p "$work"
# A private emulator for this run, stopped on exit whatever happens.
export XAI_DEVICE_SOCKET="$work/device.sock"
trap '"$bin/xai/xai" device stop >/dev/null 2>&1 || true' EXIT

echo "== xformer"
"$bin/xformer/xformer" "$demo/demo_classifier.tflite" -o "$work/demo_xcore.tflite"
echo "== xmos_send_model"
"$bin/xmos_send_model/xmos_send_model" "$work/demo_xcore.tflite"
echo "== xmos_classify"
wrong=0
for image in "$demo"/images/*.png; do
  want="$(basename "$image" .png)"
  want="${want%_*}" # images are named <label>_<n>.png
  echo "-- $image"
  out="$("$bin/xmos_classify/xmos_classify" "$image" --labels "$demo/labels.txt")"
  echo "$out"
  got="$(sed -n 's/^Top class: \([^ ]*\) .*/\1/p' <<<"$out")"
  if [[ "$got" != "$want" ]]; then
    echo "MISCLASSIFIED: $image is $want, the device said $got" >&2
    wrong=1
  fi
done
exit $wrong
