#!/usr/bin/env python3
"""The xformer from Python (xmos_ai_xformer) and from the command line.

Python: a model given as a path and as bytes compiles to the same bytes; the
result is a valid model with the `xai` metadata, and `xai run` gives the same
output bytes for it as for the original on the same random input (the
runtime's reference kernels are the oracle here: they are checked against
LiteRT by the oracle suite). Bad options raise ValueError with the C message.

CLI: every failure is one "xformer: error:" line, a non-zero exit, and no
output or temporary file left behind.

usage: test_xformer_py.py XFORMER XAI MODEL"""
import json
import os
import subprocess
import sys
import tempfile

xformer_exe, xai_exe, model_path = sys.argv[1:4]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


from xmos_ai_xformer import xformer  # noqa: E402  (PYTHONPATH from ctest)

tmp = tempfile.mkdtemp(prefix="xai_xformer_py_")


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


def xai_run_output(path, seed=7):
    out = os.path.join(tmp, "run_out.bin")
    p = run([xai_exe, "run", path, "--random", str(seed), "--output", out])
    check(p.returncode == 0, f"xai run {path}: {p.stderr.strip()}")
    if p.returncode != 0:
        return None
    with open(out, "rb") as f:
        data = f.read()
    os.remove(out)
    return data


# ---- Python API -------------------------------------------------------------
with open(model_path, "rb") as f:
    original = f.read()
from_path = xformer(model_path, xcore_thread_count=3)
from_bytes = xformer(original, xcore_thread_count=3)
check(from_path[4:8] == b"TFL3", "result is a TFLite flatbuffer")
check(from_path == from_bytes, "path and bytes give the same model")

opt_path = os.path.join(tmp, "opt.tflite")
written = xformer(bytearray(original), o=opt_path, quiet=True)
check(os.path.exists(opt_path), "o= writes the output file")
with open(opt_path, "rb") as f:
    check(f.read() == written, "file holds the returned bytes")

p = run([xai_exe, "inspect", "--json", opt_path])
check(p.returncode == 0, f"inspect of the optimised model: {p.stderr.strip()}")
if p.returncode == 0:
    d = json.loads(p.stdout)
    meta = d.get("metadata", {}).get("xai", "")
    check("threads: 5" in meta and "version: 1" in meta, f"xai metadata: {meta!r}")
    check("xcore.ai" in meta, "target in metadata")
    orig = json.loads(run([xai_exe, "inspect", "--json", model_path]).stdout)
    check(d["totals"]["macs"] == orig["totals"]["macs"],
          f"inspect counts the XAI_* ops' MACs: {d['totals']['macs']} vs "
          f"{orig['totals']['macs']}")

check(xai_run_output(opt_path) == xai_run_output(model_path),
      "optimised model gives the original's output bytes")
opt3 = os.path.join(tmp, "opt3.tflite")
with open(opt3, "wb") as f:
    f.write(from_path)
check(xai_run_output(opt3, 11) == xai_run_output(model_path, 11),
      "3 threads: same output bytes")

for kwargs, expect in (({"xcore_thred_count": 3},
                        "did you mean '--xcore-thread-count'?"),
                       ({"xcore_thread_count": 9}, "1 to 8"),
                       ({"xcore_thread_count": 0}, "1 to 8"),
                       ({"xcore_memory": "sram"}, "internal")):
    try:
        xformer(original, **kwargs)
        check(False, f"{kwargs} should raise")
    except ValueError as e:
        check(expect in str(e), f"{kwargs}: message {e}")
try:
    xformer(original[:len(original) // 2])
    check(False, "truncated model should raise")
except ValueError as e:
    check(len(str(e)) > 0, "truncated model message")

# ---- CLI ----------------------------------------------------------------------
out = os.path.join(tmp, "cli.tflite")
report = os.path.join(tmp, "report.json")
p = run([xformer_exe, model_path, "-o", out, f"--report-json={report}",
         "--xcore-thread-count", "2"])
check(p.returncode == 0, f"cli compile: {p.stderr.strip()}")
check("total:" in p.stdout and "MACs" in p.stdout, "report printed")
if p.returncode == 0:
    with open(report) as f:
        r = json.load(f)
    ops = json.loads(run([xai_exe, "inspect", "--json", out]).stdout)["ops"]
    check(len(r["layers"]) == len([o for o in ops if o["subgraph"] == 0]),
          "one report layer per op")
    check(r["totals"]["model_bytes"] == os.path.getsize(out), "model bytes")
    check(r["threads"] == 2, "threads in report")
    # MACs derived by hand from examples/make_hello_model.c: conv 3x3x3 ->
    # 16 at 16x16, depthwise 3x3 at 16x16x16, fully connected 16 -> 4
    layers = r["layers"]
    check(layers[0]["macs"] == 16 * 16 * 16 * 27, f"conv MACs {layers[0]}")
    check(layers[1]["macs"] == 16 * 16 * 16 * 9, f"depthwise MACs {layers[1]}")
    fc = [l for l in layers if "fc" in l["op"] or "FULLY" in l["op"]]
    check(len(fc) == 1 and fc[0]["macs"] == 64, f"fc MACs {fc}")
    check(r["totals"]["macs"] == sum(l["macs"] for l in layers), "MAC total")
    check(all(l["ticks"] > 0 and l["threads"] >= 1 for l in layers),
          "every layer has a cost")
    # SOFTMAX has an xcore kernel; an op left as a builtin says why
    builtins = [l for l in layers if not l["op"].startswith("XAI_")]
    check(any(l["op"] == "XAI_softmax" for l in layers), "SOFTMAX lowered")
    check(all(l["note"] and l["kernel"] == "ref" for l in builtins),
          f"builtins carry a note: {builtins}")
    check(all(l["arena_in_use"] > 0 for l in layers), "arena in use per layer")
    check(r["totals"]["arena_bytes"] <= r["totals"]["greedy_arena_bytes"],
          "planned arena no larger than greedy")
    os.remove(report)
    os.remove(out)
p = run([xformer_exe, model_path, "-o", out, "--quiet"])
check(p.returncode == 0 and p.stdout == "", "--quiet prints nothing")
if os.path.exists(out):
    os.remove(out)

bad = os.path.join(tmp, "bad.tflite")
with open(bad, "wb") as f:
    f.write(original[: len(original) // 2])
flipped = bytearray(original)
for i in range(0, 4):
    flipped[i] ^= 0xA5
flipped_path = os.path.join(tmp, "flipped.tflite")
with open(flipped_path, "wb") as f:
    f.write(flipped)
missing_dir = os.path.join(tmp, "no", "such", "dir", "out.tflite")
float_model = os.path.join(os.environ.get("XAI_SHARED_DIR", "/nonexistent"),
                           "models", "tflm", "hello_world_float.tflite")

cases = [
    ([model_path, "-o", out, "--xcore-thred-count=3"],
     "did you mean '--xcore-thread-count'?"),
    ([model_path, "-o", out, "--xcore-thread-count", "0"], "1 to 8"),
    ([model_path, "-o", out, "--xcore-thread-count=9"], "1 to 8"),
    ([bad, "-o", out], "bad.tflite"),
    ([flipped_path, "-o", out], "flipped.tflite"),
    (["/nonexistent/model.tflite", "-o", out], "model.tflite"),
    ([model_path, "-o", missing_dir], "no/such/dir"),
    ([model_path], "-o"),
]
for args, expect in cases:
    p = run([xformer_exe] + args)
    what = " ".join(args[1:]) or args[0]
    check(p.returncode != 0 and p.returncode < 128, f"{what}: exit {p.returncode}")
    lines = p.stderr.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith("xformer: error: "),
          f"{what}: one error line, got {p.stderr!r}")
    check(expect in p.stderr, f"{what}: {expect!r} in {p.stderr!r}")
    check(not os.path.exists(out), f"{what}: no output file")

if os.path.exists(float_model):
    # Float ops stay builtins; the report says how to quantize them.
    p = run([xformer_exe, float_model, "-o", out])
    check(p.returncode == 0 and "TFLITE_BUILTINS_INT8" in p.stdout,
          f"float model compiles with a quantize note: {p.stdout!r}")
    if os.path.exists(out):
        os.remove(out)

left = sorted(os.listdir(tmp))
check(left == sorted(["bad.tflite", "flipped.tflite", "opt.tflite",
                      "opt3.tflite"]), f"no stray files: {left}")
p = run([xformer_exe, "--help"])
check(p.returncode == 0 and "--xcore-thread-count" in p.stdout
      and "--xcore-flash-image-file" in p.stdout and "-params" in p.stdout,
      "--help lists the options")

for name in os.listdir(tmp):
    os.remove(os.path.join(tmp, name))
os.rmdir(tmp)
print("test_xformer_py: %s" % ("ok" if failures == 0 else f"{failures} failures"))
sys.exit(1 if failures else 0)
