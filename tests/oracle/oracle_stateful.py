#!/usr/bin/env python3
"""Stateful models (variable tensors: LSTM and SVDF states) against TFLite
Micro over a sequence of invokes: each invoke gets new random inputs, the
states carry over, and every invoke's outputs must match TFLM's bit for
bit. The xai side is the in-process host interpreter (python/xmos_ai_ie),
which keeps one interpreter across the sequence as TFLM does.

  oracle_stateful.py MODEL... [--steps N] [--seeds N]

Exit 77 when TFLM or the host interpreter cannot be loaded.
"""
import argparse
import os
import sys

SKIP = 77
try:
    import numpy as np
    from tflite_micro.python.tflite_micro import runtime
    from xmos_ai_ie.host_interpreter import xcore_ai_host_interpreter
except (ImportError, OSError) as e:
    print(f"skipping: {e}")
    sys.exit(SKIP)


def details(fn):
    out = []
    while True:
        try:
            out.append(fn(len(out)))
        except (IndexError, ValueError, RuntimeError):
            return out


def draw(rng, d, step):
    """Full-range values on even steps; on odd steps values within a few
    steps of the zero point, which keep the gates out of saturation (where
    the activations' arithmetic shows)."""
    dtype = np.dtype(d["dtype"])
    if dtype.kind == "f":
        return rng.uniform(-4, 4, size=d["shape"]).astype(dtype)
    info = np.iinfo(dtype)
    if step % 2 == 0:
        x = rng.integers(info.min, info.max, size=d["shape"], endpoint=True,
                         dtype=np.int64)
    else:
        q = d.get("quantization_parameters") or {}
        zps = q.get("zero_points")
        zp = int(zps[0]) if zps is not None and len(zps) else 0
        x = zp + np.rint(rng.normal(0, 6, size=d["shape"])).astype(np.int64)
    return np.clip(x, info.min, info.max).astype(dtype)


def check(model, steps, seed):
    """None, or the first mismatch as text."""
    it = runtime.Interpreter.from_file(model, arena_size=16 << 20)
    ins = details(it.get_input_details)
    n_out = len(details(it.get_output_details))
    rng = np.random.default_rng(seed)
    with xcore_ai_host_interpreter(model) as xi:
        for step in range(steps):
            xs = [draw(rng, d, step) for d in ins]
            for k, x in enumerate(xs):
                it.set_input(x, k)
                xi.write_input_tensor(x.tobytes(), k)
            it.invoke()
            xi.start_inference()
            for k in range(n_out):
                want = np.ascontiguousarray(it.get_output(k))
                got = np.frombuffer(xi.read_output_bytes(k), dtype=want.dtype)
                bad = np.nonzero(got != want.reshape(-1))[0]
                if bad.size:
                    i = bad[0]
                    return (f"invoke {step + 1} output {k}: {bad.size} of "
                            f"{got.size} differ, first element {i} "
                            f"(expected {want.reshape(-1)[i]}, got {got[i]})")
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--seeds", type=int, default=2)
    args = ap.parse_args()
    models = [m for m in args.models if os.path.exists(m)]
    if not models:
        print(f"skipping: none of {' '.join(args.models)} exist")
        return SKIP
    failed = 0
    for m in models:
        for seed in range(args.seeds):
            problem = check(m, args.steps, seed)
            name = os.path.basename(m)
            if problem:
                failed += 1
                print(f"FAIL {name} seed {seed}: {problem}")
            else:
                print(f"ok {name} seed {seed}: {args.steps} invokes")
    print(f"{len(models) * args.seeds - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
