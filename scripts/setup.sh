#!/usr/bin/env bash
# Installs what xai needs on a Debian machine: build tools from apt, and the
# Python test oracles (LiteRT, numpy) into a venv inside the build tree.
# Safe to run again: it only installs what is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/build/venv"

packages=(build-essential cmake ninja-build clang libclang-rt-14-dev
          python3 python3-venv python3-pip
          libusb-1.0-0-dev libstb-dev pkg-config
          gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm g++
          chromium gcc-multilib)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# python3 -m venv needs ensurepip; Debian ships it in python3-venv.
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$root/build"
  python3 -m venv "$venv"
fi
# The marker holds a hash of the requirements, so adding an oracle reinstalls.
want="$(sha256sum "$root/scripts/requirements-test.txt" | cut -d' ' -f1)"
have="$(cat "$venv/.xai-oracles-installed" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "setup: installing the test oracles (scripts/requirements-test.txt) into $venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/requirements-test.txt"
  echo "$want" > "$venv/.xai-oracles-installed"
fi
# The Larq Compute Engine interpreter (binarized-op oracle) is built against
# numpy 1.x, which LiteRT's venv does not have: it gets a venv of its own.
lce_venv="$root/build/venv-lce"
if [ ! -x "$lce_venv/bin/python" ]; then
  python3 -m venv "$lce_venv"
fi
want="$(sha256sum "$root/scripts/requirements-lce.txt" | cut -d' ' -f1)"
have="$(cat "$lce_venv/.xai-oracles-installed" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "setup: installing the LCE oracle (scripts/requirements-lce.txt) into $lce_venv"
  "$lce_venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/requirements-lce.txt"
  echo "$want" > "$lce_venv/.xai-oracles-installed"
fi
# XMOS's compiler (xcore-opt, measured against in bench_memory_plan, never an
# oracle) also needs numpy 1.x: a third venv. Optional: the bench falls back
# to BASELINES.md's figures without it.
xmos_venv="$root/build/venv-xmos"
want="$(sha256sum "$root/scripts/requirements-xmos.txt" | cut -d' ' -f1)"
have="$(cat "$xmos_venv/.xai-tools-installed" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "setup: installing XMOS's compiler (scripts/requirements-xmos.txt) into $xmos_venv"
  if { [ -x "$xmos_venv/bin/python" ] || python3 -m venv "$xmos_venv"; } &&
     "$xmos_venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/requirements-xmos.txt"; then
    echo "$want" > "$xmos_venv/.xai-tools-installed"
  else
    echo "setup: warning: xmos-ai-tools not installed; bench_memory_plan uses BASELINES.md's XMOS figures" >&2
  fi
fi
