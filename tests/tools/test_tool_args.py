#!/usr/bin/env python3
"""Issue #12: every tool checks its file arguments (a readable regular file,
not empty) before reading them and range-checks its option values, with a
one-line error and a non-zero exit, never a crash. The options of each tool
covered here:
  xformer MODEL -o OUT            file: MODEL
  xai inspect MODEL               file: MODEL
  xai run MODEL --params P        files: MODEL, P
  xai flash-info IMAGE            file: IMAGE
  build_flash_file -o OUT M P     files: M, P
  xmos_send_model MODEL [--params P] [--timeout-ms N] [--engine N]
  xmos_flash IMAGE [--timeout-ms N]
  xmos_classify IMAGE [--labels F] [--timeout-ms N] [--engine N]
No device is needed: every check runs before the tools connect (the device
given is a socket path that does not exist).
usage: test_tool_args.py TOOLS_DIR MODEL (TOOLS_DIR/NAME/NAME are the tools)"""
import os
import subprocess
import sys
import tempfile

bindir, model = sys.argv[1], sys.argv[2]
failures = 0
NODEV = ["--device", "emu:/nonexistent/xai-test.sock"]


def tool(name):
    return os.path.join(bindir, name, name)


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def expect(args, code, needle, what):
    global failures
    p = run(args)
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = (p.returncode == code and needle in p.stderr and p.returncode >= 0)
    if not ok:
        failures += 1
        print(f"FAIL {what}: exit {p.returncode}, stderr {p.stderr!r}")
    elif code == 1 and len(lines) != 1:
        failures += 1
        print(f"FAIL {what}: error is not one line: {p.stderr!r}")


with tempfile.TemporaryDirectory() as tmp:
    empty = os.path.join(tmp, "empty")
    open(empty, "wb").close()
    directory = os.path.join(tmp, "dir")
    os.mkdir(directory)
    out = os.path.join(tmp, "out")
    B = {n: tool(n) for n in ("xformer", "xai", "build_flash_file",
                              "xmos_send_model", "xmos_flash",
                              "xmos_classify")}

    cases = {
        "xformer": lambda f: [B["xformer"], f, "-o", out],
        "xai inspect": lambda f: [B["xai"], "inspect", f],
        "xai run": lambda f: [B["xai"], "run", f],
        "xai run --params": lambda f: [B["xai"], "run", model, "--params", f],
        "xai flash-info": lambda f: [B["xai"], "flash-info", f],
        "build_flash_file model": lambda f: [B["build_flash_file"], "-o", out,
                                             f, "-"],
        "build_flash_file params": lambda f: [B["build_flash_file"], "-o", out,
                                              model, f],
        "xmos_send_model": lambda f: [B["xmos_send_model"], f] + NODEV,
        "xmos_send_model --params": lambda f: [B["xmos_send_model"], model,
                                               "--params", f] + NODEV,
        "xmos_flash": lambda f: [B["xmos_flash"], f] + NODEV,
        "xmos_classify": lambda f: [B["xmos_classify"], f] + NODEV,
        "xmos_classify --labels": lambda f: [B["xmos_classify"], model,
                                             "--labels", f] + NODEV,
    }
    for what, make in cases.items():
        expect(make(directory), 1, "is a directory, not a regular file",
               f"{what} with a directory")
        expect(make(empty), 1, "is empty", f"{what} with an empty file")
        expect(make(os.path.join(tmp, "missing")), 1, "cannot open",
               f"{what} with a missing file")

    for t in ("xmos_send_model", "xmos_flash", "xmos_classify"):
        for bad in ("abc", "-1", "0", "12x", "99999999999"):
            expect([B[t], model, "--timeout-ms", bad] + NODEV, 2,
                   "bad --timeout-ms", f"{t} --timeout-ms {bad}")
    for t in ("xmos_send_model", "xmos_classify"):
        for bad in ("-1", "256", "x", ""):
            expect([B[t], model, "--engine", bad] + NODEV, 2, "bad --engine",
                   f"{t} --engine {bad!r}")

sys.exit(1 if failures else 0)
