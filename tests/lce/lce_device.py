#!/usr/bin/env python3
"""Binarized networks compiled and on the device, against the LCE
interpreter on the original model:
  1. every whole network through `xformer` at 1, 2, 5 and 8 threads (and
     with its weights split into a params file) then `xai run`: outputs
     equal to LCE's;
  2. end to end: the QuickNet-style classifier through xformer ->
     xmos_send_model -> inference on the device emulator (xmos_ai_ie):
     outputs equal to LCE's;
  3. memory: the all-binary network's params file is about 1/8 of its
     int8-equivalent weight bytes.

usage: lce_device.py MODEL_DIR --tools BUILD/tools --hostlib LIB
Exit 77 (skip) without the LCE oracle, the models or the emulator."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lce_lib  # noqa: E402

_, Interpreter = lce_lib.import_or_skip()
import numpy as np  # noqa: E402
import lce_models  # noqa: E402
from lce_oracle import lce, mismatch, random_input, xai_run  # noqa: E402

failures = checks = 0


def check(ok, what):
    global failures, checks
    checks += 1
    if not ok:
        failures += 1
        print(f"FAIL {what}", flush=True)


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    if p.returncode != 0:
        check(False, f"{' '.join(map(str, cmd))}: {(p.stderr or p.stdout).strip()}")
    return p


def inputs_for(model, seed):
    it = Interpreter(model, use_reference_bconv=True)
    rng = np.random.default_rng(seed)
    return [random_input(rng, s, t) for s, t in zip(it.input_shapes, it.input_types)]


def compiled_runs(args, tool, work):
    for name in lce_models.NETWORKS:
        path = os.path.join(args.dir, name + ".tflite")
        with open(path, "rb") as f:
            model = f.read()
        for threads, split in ((1, False), (2, False), (5, False), (8, False),
                               (5, True)):
            out = os.path.join(work, f"{name}_t{threads}.tflite")
            cmd = [tool("xformer"), path, "-o", out,
                   f"--xcore-thread-count={threads}"]
            params = out + ".params" if split else None
            if split:
                cmd += ["--xcore-flash-image-file", params,
                        "--xcore-load-externally-if-larger=100"]
            if run(cmd).returncode:
                continue
            for seed in range(2):
                x = inputs_for(model, seed)
                want = lce(model, x, True)
                got, err = xai_run(tool("xai"), out, x, work) if not split else \
                    xai_run_params(tool("xai"), out, params, x, work)
                problem = err or mismatch(want, got)
                check(not problem, f"{name} {threads} threads"
                      f"{' params' if split else ''} seed {seed}: {problem}")


def xai_run_params(xai, model, params, inputs, work):
    in_path, out_path = os.path.join(work, "in.bin"), os.path.join(work, "out.bin")
    with open(in_path, "wb") as f:
        for x in inputs:
            f.write(np.ascontiguousarray(x).tobytes())
    p = subprocess.run([xai, "run", model, "--params", params, "--input",
                        in_path, "--output", out_path, "--quiet"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode:
        return None, p.stderr.strip()
    with open(out_path, "rb") as f:
        return f.read(), None


def end_to_end(args, tool, work):
    emulator = tool("xai_device_emulator")
    if not os.access(emulator, os.X_OK) or not os.path.exists(args.hostlib):
        print("skip: no emulator or host library; end-to-end part not run")
        return
    path = os.path.join(args.dir, "net_quicknet_cifar.tflite")
    with open(path, "rb") as f:
        model = f.read()
    compiled = os.path.join(work, "quicknet_xcore.tflite")
    if run([tool("xformer"), path, "-o", compiled]).returncode:
        return
    sock = os.path.join(work, "dev.sock")
    proc = subprocess.Popen([emulator, "--socket", sock, "--foreground"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
        run([tool("xmos_send_model"), compiled, "--device", f"emu:{sock}"])
        os.environ["XAI_HOST_PY_LIB"] = args.hostlib
        sys.path.insert(0, os.path.join(args.source, "python"))
        import xmos_ai_ie
        ie = xmos_ai_ie.xcore_ai_ie_emulator(socket=sock, timeout_ms=20000)
        ie.connect()
        ie.read_spec()
        for seed in range(3):
            x = inputs_for(model, seed)
            ie.write_input_tensor(x[0])
            ie.start_inference()
            got = ie.read_output_bytes()
            want = lce(model, x, True)
            problem = mismatch(want, got)
            check(not problem, f"emulator seed {seed}: {problem}")
        layers = ie.read_layer_times()
        check(any(op == "XAI_bconv2d" for op, _ in layers), f"layers {layers}")
        ie.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def memory(args, tool, work):
    path = os.path.join(args.dir, "net_bitpacked_chain.tflite")
    out = os.path.join(work, "chain.tflite")
    report = os.path.join(work, "chain.json")
    if run([tool("xformer"), path, "-o", out, "--xcore-flash-image-file",
            out + ".params", "--report-json", report]).returncode:
        return
    params = os.path.getsize(out + ".params")
    int8 = lce_models.BITPACKED_CHAIN_INT8_WEIGHT_BYTES
    ratio = params / int8
    print(f"memory: params {params} bytes, int8 equivalent {int8} bytes "
          f"(ratio 1/{1 / ratio:.2f})")
    check(ratio < 0.14, f"params/int8 ratio {ratio:.3f} is not about 1/8")
    with open(report) as f:
        totals = json.load(f)["totals"]
    # the memory report shows the same parameter bytes, and binary MACs
    check(totals["params_bytes"] == params,
          f"report params_bytes {totals['params_bytes']} vs file {params}")
    with open(report) as f:
        layers = json.load(f)["layers"]
    binary = [ly for ly in layers if ly["op"] == "XAI_bconv2d"]
    check(binary and all(ly["macs"] > 0 and "1-bit peak" in ly["note"]
                         for ly in binary), f"binary layers {binary}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--tools", required=True)
    ap.add_argument("--hostlib", default="")
    ap.add_argument("--source", default="")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.dir, "net_quicknet_cifar.tflite")):
        print(f"skipping: no models in {args.dir}")
        return lce_lib.SKIP

    def tool(name):
        return os.path.join(args.tools, name, name)

    with tempfile.TemporaryDirectory(prefix="xai-lce-") as work:
        compiled_runs(args, tool, work)
        end_to_end(args, tool, work)
        memory(args, tool, work)
    print(f"lce_device: {checks - failures} of {checks} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
