#!/usr/bin/env python3
"""bench_code_size: flash and RAM the freestanding device library takes in
the Cortex-M3 build of the embedded example (examples/embedded), with only
the kernels the model needs (the resolver --emit-c writes) and with every
kernel, beside TFLite Micro's published framework core.

Usage (after scripts/build.sh release):
    build/venv/bin/python bench/bench_code_size.py [BUILD_DIR]
Cross-builds through tests/embedded/test_embedded.sh, then reads the
linker maps. Needs gcc-arm-none-eabi and qemu-system-arm (scripts/setup.sh).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# TFLite Micro's own figure for its interpreter core without kernels
# (the TFLM paper, David et al. 2021, and its README): about 10 KB on
# Cortex-M (ESTIMATE: the framework is "under 16 KB"; 10 KB is the usual
# quoted figure for the core without operators).
TFLM_CORE_BYTES = 10 * 1024

MODULES = {
    "core (interpreter, planner, reader, flexbuf, errors)":
        ["runtime", "tflite", "flexbuf", "common", "platform"],
    "op adapters (runtime/ops)": ["runtime/ops"],
    "kernels (ref + xcore)": ["kernels/ref", "kernels/xcore"],
    "VPU model": ["vpu"],
    "AI server, protocol, flash reader": ["aisrv", "protocol", "flash"],
}


def module_of():
    """Archive member (basename.c.obj) -> category; shared basenames
    belong to the first category that has them."""
    out = {}
    for cat, dirs in MODULES.items():
        for d in dirs:
            path = os.path.join(ROOT, "src", d)
            for f in sorted(os.listdir(path)) if os.path.isdir(path) else []:
                if f.endswith(".c"):
                    out.setdefault(f + ".obj", cat)
    return out


SECTION = re.compile(r"^ (\.[\w.$]+|COMMON)\s*$")
SECTION_LINE = re.compile(
    r"^ (\.[\w.$]+|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def map_sizes(path):
    """Sizes of the sections each libxai_device.a member put in the image:
    {category: [text, data, bss]}."""
    cats = module_of()
    sizes = {}
    pending = None
    in_map = False
    with open(path) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map:
                continue
            m = SECTION.match(line)
            if m:
                pending = m.group(1)
                continue
            m = SECTION_LINE.match(line.rstrip("\n"))
            if not m:
                pending = None
                continue
            name = m.group(1) or pending
            pending = None
            size = int(m.group(3), 16)
            obj = m.group(4)
            mm = re.search(r"libxai_device\.a\((.+)\)$", obj)
            if not mm or not name or size == 0:
                continue
            kind = (0 if name.startswith((".text", ".rodata")) else
                    1 if name.startswith(".data") else
                    2 if name.startswith((".bss", "COMMON")) else None)
            if kind is None:
                continue
            cat = cats.get(mm.group(1), "other")
            sizes.setdefault(cat, [0, 0, 0])[kind] += size
    return sizes


def build(build_dir, all_ops):
    work = os.path.join(build_dir, "bench_code_size", "all" if all_ops else "model")
    model_dir = os.path.join(build_dir, "examples", "embedded", "model")
    host = os.path.join(build_dir, "examples", "embedded", "embedded_example")
    env = dict(os.environ, XAI_EMBEDDED_FRAMES="1")
    if all_ops:
        env["XAI_EMBEDDED_CMAKE_ARGS"] = "-DEXAMPLE_ALL_OPS=ON"
    r = subprocess.run(["bash", os.path.join(ROOT, "tests/embedded/test_embedded.sh"),
                        ROOT, work, model_dir, host], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("bench_code_size: cross build failed:\n" + r.stdout[-2000:])
    return os.path.join(work, "app", "embedded_example.map")


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "release")
    print("bench_code_size: xai_device in the Cortex-M3 example (arm-none-eabi-gcc -O2, "
          "gc-sections); bytes text (flash) / data / bss")
    rows = {}
    for all_ops in (False, True):
        rows[all_ops] = map_sizes(build(build_dir, all_ops))
    cats = list(MODULES) + ["other"]
    print(f"  {'part':52} {'model ops':>22} {'all ops':>22}")
    tot = {False: [0, 0, 0], True: [0, 0, 0]}
    for cat in cats:
        if cat not in rows[False] and cat not in rows[True]:
            continue
        cells = []
        for all_ops in (False, True):
            t = rows[all_ops].get(cat, [0, 0, 0])
            tot[all_ops] = [a + b for a, b in zip(tot[all_ops], t)]
            cells.append(f"{t[0]:>8} /{t[1]:>5} /{t[2]:>5}")
        print(f"  {cat:52} {cells[0]:>22} {cells[1]:>22}")
    cells = [f"{t[0]:>8} /{t[1]:>5} /{t[2]:>5}" for t in (tot[False], tot[True])]
    print(f"  {'total':52} {cells[0]:>22} {cells[1]:>22}")
    core = rows[False].get(list(MODULES)[0], [0, 0, 0])[0]
    print(f"  core text {core} B vs TFLite Micro's published framework core "
          f"~{TFLM_CORE_BYTES} B (goal: at or below)")


if __name__ == "__main__":
    main()
