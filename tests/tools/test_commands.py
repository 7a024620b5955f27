#!/usr/bin/env python3
"""The user-guide commands against the emulator on a private socket, with
LiteRT (BUILTIN_REF) on the original models as the oracle:

- xmos_classify prints the guide's lines and takes the input's real range
  from its quantization: on hello_conv_int8 (scale 1/128, zero point 0:
  pixels 0..255 -> [-1, 0.992]) a 32x32 image gives exactly LiteRT's
  output on q = pixel - 128; --input-range overrides it; every demo image
  gets its class;
- xmos_infer: raw and .npy inputs give LiteRT's output bytes, raw and .npy
  outputs; wrong dtype and size are refused with the tensor named;
- xmos_timings: text, JSON and CSV agree with one another;
- xmos_send_picture / xmos_recv_picture through a one-op RELU model on
  [1,8,8,3]: the PNG written equals LiteRT's output mapped to pixels.

argv: BIN_DIR (the build's tools/), SOURCE_DIR."""
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

bin_dir, src = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src, "examples", "demo"))
sys.path.insert(0, os.path.join(src, "tests", "runtime"))
from demo_png import read_png, write_png  # noqa: E402
import gen_shape_op_models as gen  # noqa: E402

failures = 0


def tool(name):
    for d in (name, "xmos_picture"):
        p = os.path.join(bin_dir, d, name)
        if os.path.exists(p):
            return p
    return os.path.join(bin_dir, name, name)


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def run(args, ok=True):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if ok != (r.returncode == 0):
        check(False, f"{' '.join(args)} exited {r.returncode}:\n{r.stdout}"
              f"{r.stderr}")
    return r


def litert(model_path, x):
    it = Interpreter(model_path=model_path,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


demo = os.path.join(src, "examples", "demo", "demo_classifier.tflite")
hello = os.path.join(src, "examples", "models", "hello_conv_int8.tflite")
rng = np.random.default_rng(17)

with tempfile.TemporaryDirectory(prefix="xai-cmd-") as tmp:
    sock = os.path.join(tmp, "dev.sock")
    dev = ["--device", "emu:" + sock]
    xai = tool("xai")
    run([xai, "device", "start", "--socket", sock])
    try:
        send = [tool("xmos_send_model")]
        classify = tool("xmos_classify")

        # Range from the quantization, against LiteRT.
        run(send + [hello] + dev)
        pixels = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
        png = os.path.join(tmp, "rand32.png")
        write_png(png, pixels)
        r = run([classify, png] + dev)
        want = litert(hello, (pixels.astype(np.int16) - 128)
                      .astype(np.int8)[None])
        raw = [ln for ln in r.stdout.splitlines() if ln.startswith("Output (")]
        got = [int(v) for v in raw[0].split(":")[1].split()] if raw else []
        check(got == want.flatten().tolist() and len(got) == 4,
              f"hello_conv: xmos_classify {got} != LiteRT {want.flatten()}")
        for line in ("Inferred input shape: (32, 32, 3)",
                     "pixels 0..255 -> [-1, 0.992188] (from the input's "
                     "quantization)", "Output tensor read as  [",
                     "milliseconds taken ", "per layer timings:\n["):
            check(line in r.stdout, f"classify output lacks {line!r}:\n"
                  f"{r.stdout}")
        r2 = run([classify, png, "--input-range", "0,1"] + dev)
        check("(--input-range)" in r2.stdout, "--input-range not reported")
        ref01 = np.round(pixels / 255.0 / (1 / 128)).clip(-128, 127)
        want01 = litert(hello, ref01.astype(np.int8)[None])
        raw = [ln for ln in r2.stdout.splitlines() if ln.startswith("Output (")]
        got = [int(v) for v in raw[0].split(":")[1].split()] if raw else []
        check(got == want01.flatten().tolist(),
              f"--input-range 0,1: {got} != LiteRT {want01.flatten()}")

        # The demo: every image its class, in the guide's words.
        run(send + [demo] + dev)
        labels = os.path.join(src, "examples", "demo", "labels.txt")
        for image in sorted(glob.glob(os.path.join(src, "examples", "demo",
                                                   "images", "*_1.png"))):
            label = os.path.basename(image).split("_")[0]
            r = run([classify, image, "--labels", labels] + dev)
            check(f"this is an {label} " in r.stdout,
                  f"{image}: not '{label}':\n{r.stdout}")

        # xmos_infer, raw and .npy, against LiteRT on the original model.
        infer = tool("xmos_infer")
        x = rng.integers(-128, 128, (1, 128, 128, 3), dtype=np.int8)
        xin = os.path.join(tmp, "in.bin")
        x.tofile(xin)
        np.save(os.path.join(tmp, "in.npy"), x)
        want = litert(demo, x)
        out_bin = os.path.join(tmp, "out.bin")
        run([infer, "--input", xin, "--output", out_bin] + dev)
        with open(out_bin, "rb") as f:
            check(f.read() == want.tobytes(), "xmos_infer raw output != LiteRT")
        out_npy = os.path.join(tmp, "out.npy")
        run([infer, "--input", os.path.join(tmp, "in.npy"), "--output",
             out_npy] + dev)
        y = np.load(out_npy)
        check(y.dtype == np.int8 and y.shape == want.shape and
              (y == want).all(), f"xmos_infer .npy output {y} != {want}")
        np.save(os.path.join(tmp, "bad.npy"), x.astype(np.uint8))
        r = run([infer, "--input", os.path.join(tmp, "bad.npy"), "--output",
                 out_bin] + dev, ok=False)
        check("uint8" in r.stderr and "int8 [1,128,128,3]" in r.stderr,
              f"dtype refusal: {r.stderr}")
        r = run([infer, "--input", out_bin, "--output", out_bin] + dev,
                ok=False)
        check("takes 49152" in r.stderr, f"size refusal: {r.stderr}")
        r = run([infer, "--output", out_bin] + dev, ok=False)
        check(r.returncode == 2, "xmos_infer without --input is a usage error")

        # xmos_timings: the three formats agree.
        timings = tool("xmos_timings")
        j = json.loads(run([timings, "--format", "json"] + dev).stdout)
        csv = run([timings, "--format", "csv"] + dev).stdout.splitlines()
        text = run([timings] + dev).stdout
        check(j["layer_count"] == len(j["layers"]) == len(csv) - 1 > 0,
              f"timings: {j['layer_count']} layers, csv {len(csv) - 1}")
        check(sum(L["ticks"] for L in j["layers"]) == j["total_ticks"],
              "timings: JSON total != sum of layers")
        check(csv[0] == "index,op,ticks,ms" and
              csv[1].split(",")[1] == j["layers"][0]["op"],
              f"timings csv: {csv[:2]}")
        check(f"{j['layer_count']} layers, {j['total_ms']:.3f} ms" in text,
              f"timings text: {text.splitlines()[0]}")

        # Pictures through a one-op RELU model.
        relu = os.path.join(tmp, "relu.tflite")
        t = [gen.T([1, 8, 8, 3], np.int8, scale=1 / 128, zp=0),
             gen.T([1, 8, 8, 3], np.int8, scale=1 / 128, zp=-128)]
        with open(relu, "wb") as f:
            f.write(gen.build(gen.BO.RELU, t, [0], [1]))
        run(send + [relu] + dev)
        pic = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
        pic_in = os.path.join(tmp, "pic.png")
        write_png(pic_in, pic)
        r = run([tool("xmos_send_picture"), pic_in] + dev)
        check("Inferred input shape: (8, 8, 3)" in r.stdout, r.stdout)
        pic_out = os.path.join(tmp, "out.png")
        run([tool("xmos_recv_picture"), pic_out] + dev)
        y = litert(relu, (pic.astype(np.int16) - 128).astype(np.int8)[None])
        # Output range [0, 255/128]: one step per pixel, so pixel = q + 128.
        want_png = (y[0].astype(np.int16) + 128).astype(np.uint8)
        got_png = read_png(pic_out)
        check((got_png == want_png).all(),
              f"recv_picture:\n{got_png[0, :3]}\n!= {want_png[0, :3]}")
    finally:
        subprocess.run([xai, "device", "stop", "--socket", sock],
                       capture_output=True, timeout=30)

print("FAILED" if failures else "OK")
sys.exit(1 if failures else 0)
