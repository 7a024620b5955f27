#!/usr/bin/env python3
"""docs/guide.md: every `$ ` line runs, in order, in one folder with the
demo model, labels and two images, against an emulator on a private
socket, with the build's commands on PATH. Each must exit 0; the classify
lines must name the class in the image's file name (checked with
"this is an LABEL").

argv: BIN_DIR (the build's tools/), SOURCE_DIR."""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

bin_dir, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


with open(os.path.join(src, "docs", "guide.md")) as f:
    text = f.read()
lines = [m.group(1) for m in re.finditer(r"^\$ (.+)$", text, re.M)]
check(len(lines) >= 20, f"docs/guide.md has only {len(lines)} commands")

tool_dirs = sorted({os.path.dirname(p) for p in
                    glob.glob(os.path.join(bin_dir, "*", "*"))
                    if os.access(p, os.X_OK) and os.path.isfile(p)})
demo = os.path.join(src, "examples", "demo")
with tempfile.TemporaryDirectory(prefix="xai-guide-") as tmp:
    shutil.copy(os.path.join(demo, "demo_classifier.tflite"),
                os.path.join(tmp, "demo.tflite"))
    shutil.copy(os.path.join(demo, "labels.txt"), tmp)
    shutil.copy(os.path.join(demo, "images", "circle_1.png"),
                os.path.join(tmp, "circle.png"))
    shutil.copy(os.path.join(demo, "images", "cross_1.png"),
                os.path.join(tmp, "cross.png"))
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(tool_dirs + [env.get("PATH", "")])
    sock = os.path.join(tmp, "dev.sock")
    env["XAI_DEVICE_SOCKET"] = sock
    try:
        for line in lines:
            r = subprocess.run(line, shell=True, cwd=tmp, env=env,
                               capture_output=True, text=True, timeout=120)
            check(r.returncode == 0, f"`{line}` exited {r.returncode}:\n"
                  f"{r.stdout}{r.stderr}")
            m = re.search(r"xmos_classify (\w+)\.png", line)
            if m and r.returncode == 0:
                check(f"this is an {m.group(1)} " in r.stdout,
                      f"`{line}` did not say {m.group(1)}:\n{r.stdout}")
    finally:
        subprocess.run(["xai", "device", "stop", "--socket", sock], env=env,
                       capture_output=True, timeout=30)

print(f"{len(lines)} commands;", "FAILED" if failures else "OK")
sys.exit(1 if failures else 0)
