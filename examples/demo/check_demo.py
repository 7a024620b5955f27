#!/usr/bin/env python3
"""Checks the committed demo: every images/<label>_N.png is classified as
<label> by demo_classifier.tflite under LiteRT's reference kernels, with the
input quantized exactly the way the device-side classify tool does it.

usage: check_demo.py [DEMO_DIR] [XAI]
  DEMO_DIR  folder with demo_classifier.tflite, labels.txt, images/
            (default: this script's folder)
  XAI       optional path to the `xai` tool: each image is also run with
            `xai run --input` and must give the same class, with every output
            byte within 1 of LiteRT's.
Exits 77 (skip) when LiteRT is not installed.
"""
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from demo_png import read_png  # noqa: E402
from demo_quant import quantize_input  # noqa: E402

SKIP = 77


def main():
    demo = sys.argv[1] if len(sys.argv) > 1 else HERE
    xai = sys.argv[2] if len(sys.argv) > 2 else None
    try:
        from ai_edge_litert.interpreter import Interpreter, OpResolverType
    except ImportError:
        print("check_demo: ai_edge_litert not installed; skipping")
        return SKIP

    model = os.path.join(demo, "demo_classifier.tflite")
    with open(os.path.join(demo, "labels.txt")) as f:
        labels = [line.strip() for line in f if line.strip()]
    images = sorted(glob.glob(os.path.join(demo, "images", "*.png")))
    failures = 0
    if not images:
        print(f"FAIL no images in {demo}/images")
        return 1

    it = Interpreter(model_path=model,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    ind, outd = it.get_input_details()[0], it.get_output_details()[0]
    if ind["dtype"] != np.int8 or outd["dtype"] != np.int8:
        print(f"FAIL input/output must be int8, got {ind['dtype']} "
              f"and {outd['dtype']}")
        return 1
    scale, zp = ind["quantization"]
    shape = tuple(ind["shape"])

    for path in images:
        name = os.path.basename(path)
        want = name.rsplit("_", 1)[0]
        if want not in labels:
            print(f"FAIL {name}: '{want}' is not in labels.txt")
            failures += 1
            continue
        pixels = read_png(path)
        if (1,) + pixels.shape != shape:
            print(f"FAIL {name}: image is {pixels.shape}, model wants {shape}")
            failures += 1
            continue
        x = quantize_input(pixels[None], scale, zp)
        it.set_tensor(ind["index"], x)
        it.invoke()
        out = it.get_tensor(outd["index"])[0]
        got = labels[int(out.argmax())]
        print(f"{name}: LiteRT says {got} {out.tolist()}")
        if got != want:
            print(f"FAIL {name}: LiteRT classified it as {got}")
            failures += 1
        if xai:
            failures += check_with_xai(xai, model, name, x, out, labels, want)

    print(f"check_demo: {failures} check(s) failed" if failures
          else f"check_demo: all {len(images)} images classified correctly")
    return 1 if failures else 0


def check_with_xai(xai, model, name, x, ref, labels, want):
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
        with open(inp, "wb") as f:
            f.write(x.tobytes())
        p = subprocess.run([xai, "run", model, "--input", inp, "--output",
                            outp, "--quiet"], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL {name}: xai run exited {p.returncode}: {p.stderr}")
            return 1
        with open(outp, "rb") as f:
            out = np.frombuffer(f.read(), np.int8)
    if out.shape != ref.shape:
        print(f"FAIL {name}: xai wrote {out.size} output bytes, "
              f"expected {ref.size}")
        return 1
    got = labels[int(out.argmax())]
    diff = int(np.abs(out.astype(np.int32) - ref.astype(np.int32)).max())
    print(f"{name}: xai says {got} {out.tolist()} (max diff {diff})")
    if got != want or diff > 1:
        print(f"FAIL {name}: xai gave {got}, max difference {diff} from LiteRT")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
