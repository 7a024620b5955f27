#!/usr/bin/env python3
"""Arena bytes and host invoke time per model in ../shared/models/tflm, next
to TFLite Micro's (the PyPI interpreter run in the same process tree: its
print_allocations totals and invoke time; the published figures of
../shared/bench/BASELINES.md where it cannot run) and LiteRT's reference
kernels timed in the same run. Prints figures; asserts nothing.

  build/venv/bin/python bench/bench_runtime.py [--xai build/release/tools/xai/xai]
"""
import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "oracle"))
import oracle  # noqa: E402  (its LiteRT loader handles person_detect)
import tflm  # noqa: E402  (the TFLite Micro interpreter, in a child)
import ctypes  # noqa: E402

oracle.import_oracle("litert")

# TFLite Micro, host build, greedy planner: min arena, planned head (bytes).
TFLM = {
    "person_detect": (85016, 55296), "micro_speech_quantized": (7304, 5968),
    "keyword_scrambled": (17632, 672), "keyword_scrambled_8bit": (12512, 672),
    "hello_world_int8": (1608, 32), "hello_world_float": (1608, 128),
    "simple_add_model": (49928, 49152), "trained_lstm_int8": (3928, 1536),
    "micro_speech_lstm": (19720, 17168), "dtln_noise_suppression": (6480, 1424),
    "mobilenet_v2_quantized_1x3x224x224": (2606888, 2451840),
}


# LiteRT 2.3's reference SVDF reads this model's int8 weights_time as int16
# and corrupts its heap (which can abort this process): not timed.
LITERT_BROKEN = {"keyword_scrambled_8bit"}


def xai_figures(xai, model, repeat):
    p = subprocess.run([xai, "run", model, "--random", "0", "--arena",
                        "--repeat", str(repeat)], capture_output=True, text=True)
    if p.returncode != 0:
        return None, None, None, p.stderr.strip()
    m = re.search(r"arena: (\d+) bytes needed \((\d+) planned head", p.stdout)
    t = re.search(r"total ([0-9.]+) us", p.stdout)
    return int(m.group(1)), int(m.group(2)), float(t.group(1)), None


def tflm_figures(model, repeat):
    """(arena total, head, median invoke us) from the TFLite Micro
    interpreter, in a forked child whose stdout and stderr (print_allocations
    writes there, from C) go to a file."""
    out_path = os.path.join("/tmp", f"bench_tflm_{os.getpid()}.txt")
    pid = os.fork()
    if pid == 0:
        fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)  # print_allocations writes to stderr
        try:
            state = tflm.interpreter(model)
            rng = np.random.default_rng(0)
            inputs = [oracle.random_input(rng, d) for d in state[1]]
            tflm.run(state, inputs)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                state[0].invoke()
                times.append(time.perf_counter() - t0)
            sys.stdout.flush()
            state[0].print_allocations()
            ctypes.CDLL(None).fflush(None)  # C stdio, before os.write
            os.write(1, f"invoke_us {float(np.median(times)) * 1e6}\n".encode())
        except Exception as e:  # noqa: BLE001 - reported as n/a
            os.write(1, f"error {e}\n".encode())
        ctypes.CDLL(None).fflush(None)
        os._exit(0)
    os.waitpid(pid, 0)
    with open(out_path) as f:
        text = f.read()
    os.remove(out_path)
    total = re.search(r"Arena allocation total (\d+)", text)
    head = re.search(r"Arena allocation head (\d+)", text)
    us = re.search(r"invoke_us ([0-9.]+)", text)
    if not (total and head and us):
        return None
    return int(total.group(1)), int(head.group(1)), float(us.group(1))


def litert_us(model, repeat):
    it = oracle.litert(model)
    rng = np.random.default_rng(0)
    for d in it.get_input_details():
        it.set_tensor(d["index"], oracle.random_input(rng, d))
    it.invoke()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        it.invoke()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xai", default=os.path.join(HERE, "..", "build", "release",
                                                  "tools", "xai", "xai"))
    ap.add_argument("--models", default=os.path.join(HERE, "..", "..", "shared",
                                                     "models", "tflm"))
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"{'model':36} {'xai arena':>10} {'head':>9} {'TFLM arena':>10} "
          f"{'TFLM head':>9} {'xai us':>9} {'TFLM us':>9} {'LiteRT ref us':>13}")
    names = sorted(set(TFLM) | {os.path.basename(p)[:-7] for p in
                                oracle.collect([args.models])})
    for name in names:
        path = os.path.join(args.models, name + ".tflite")
        if not os.path.exists(path):
            continue
        total, head, us, error = xai_figures(args.xai, path, args.repeat)
        if error:
            live = tflm_figures(path, args.repeat)
            tf = (f"TFLM arena {live[0]} head {live[1]}, {live[2]:.1f} us; "
                  if live else "")
            print(f"{name:36} {tf}xai: {error[:70]}")
            continue
        try:
            if name in LITERT_BROKEN:
                raise RuntimeError("LiteRT's int8 SVDF is broken")
            ref = f"{litert_us(path, args.repeat):13.1f}"
        except Exception as e:  # e.g. LiteRT aborting on keyword_scrambled_8bit
            ref = f"{'n/a':>13} ({str(e)[:40]})"
        live = tflm_figures(path, args.repeat)
        if live:
            t_total, t_head, t_us = live
            t_us = f"{t_us:9.1f}"
        elif name in TFLM:  # published figures, no time
            (t_total, t_head), t_us = TFLM[name], f"{'n/a':>9}"
        else:
            t_total = t_head = 0
            t_us = f"{'n/a':>9}"
        print(f"{name:36} {total:10d} {head:9d} {t_total:10d} "
              f"{t_head:9d} {us:9.1f} {t_us} {ref}")
    print("goals: arena <= TFLite Micro's; host time <= LiteRT reference "
          "kernels and TFLite Micro's")


if __name__ == "__main__":
    main()
