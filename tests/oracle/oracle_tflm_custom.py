#!/usr/bin/env python3
"""TFLite Micro oracle for its custom ops outside the signal library
(tflm_custom_models.py): each model runs on TFLM's interpreter (PyPI
`tflite-micro`, whose op resolver registers them) and on xai's runtime
in-process, for several invokes in a row with fresh inputs each time (the
ops keep state, or end an invoke early); every output byte TFLM defines
must match, on the runtime and after the xformer at each --threads count.

  oracle_tflm_custom.py --generate DIR --lib LIBXAI_INTERP_PY
                        [--xformer XF] [--threads 1,5] [--invokes N]
                        [--module recurrent_models]

What TFLM leaves undefined is not compared: CIRCULAR_BUFFER's window slots
not yet written (TFLM never initialises them) and, when TFLM ended every
invoke so far before the op after it, that op's output; the rows past
num_detections of TFLite_Detection_PostProcess's fast-NMS outputs. Then
malformed variants (tflm_custom_models.rejects) must each get xai's
one-line error naming the problem.
Exit 77 when TFLM is not importable."""
import argparse
import os
import re
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import numpy as np
    from tflite_micro.python.tflite_micro import runtime
    from tflm import call_in_child
    from oracle_signal import collect, io_counts, xai_runs, xformer
except ImportError as e:
    print(f"skipping: TFLite Micro oracle not importable ({e}); run scripts/setup.sh")
    sys.exit(SKIP)


def make_input(rng, d, name, k):
    shape, dt = tuple(d["shape"]), np.dtype(d["dtype"])
    if "__det" in name and k == 0:  # box encodings around the anchors
        return (rng.standard_normal(shape) * 2.0).astype(dt)
    if "__det" in name:  # scores in 1/16 steps: ties in every sort
        return (rng.integers(0, 17, size=shape) / 16.0).astype(dt)
    if dt == np.float32:
        return rng.uniform(-3, 3, size=shape).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, size=shape, endpoint=True,
                        dtype=np.int64).astype(dt)


def tflm_runs(model, seed, invokes):
    it = runtime.Interpreter.from_file(model, arena_size=1 << 20)
    n_in, n_out = io_counts(model)
    ins_d = [it.get_input_details(k) for k in range(n_in)]
    rng = np.random.default_rng(seed)
    name = os.path.basename(model)
    runs = []
    for _ in range(invokes):
        ins = [make_input(rng, d, name, k) for k, d in enumerate(ins_d)]
        for k, x in enumerate(ins):
            it.set_input(x, k)
        it.invoke()
        runs.append((ins, [np.array(it.get_output(k)) for k in range(n_out)]))
    return runs


def defined(name, invoke, k, e):
    """Mask of output k's elements TFLM defines at this invoke (0-based)."""
    mask = np.ones(e.size, dtype=bool)
    m = re.search(r"__cb(\d+)_(\d+)", name)
    if not m:
        return mask
    slots, period = int(m.group(1)), int(m.group(2))
    valid = "__valid" in name
    add_k = (2 if valid else 1) if "__add" in name else -1
    if k not in (0, add_k):
        return mask
    at = invoke  # the invoke whose window the output shows
    if k == add_k and not valid:  # the ADD ran on the last stride invoke
        ran = [j for j in range(invoke + 1) if (j + 1) % period == 0]
        if not ran:
            mask[:] = False
            return mask
        at = ran[-1]
    mask[:(slots - min(at + 1, slots)) * (e.size // slots)] = False
    return mask


def mismatch(name, runs, got):
    for n, ((_, expected), outs) in enumerate(zip(runs, got)):
        for k, e in enumerate(expected):
            e = np.ascontiguousarray(e).reshape(-1)
            g = np.frombuffer(outs[k], dtype=e.dtype)
            if g.size != e.size:
                return f"invoke {n} output {k}: {g.size} values, expected {e.size}"
            mask = defined(name, n, k, e)
            if "__fast" in name and k < 3:  # TFLM writes num_detections rows
                rows = int(np.asarray(expected[3]).reshape(-1)[0])
                mask[rows * (4 if k == 0 else 1):] = False
            rows = lambda a: a.view(np.uint8).reshape(a.size, a.itemsize)
            bad = (rows(e) != rows(g)).any(axis=1) & mask
            if bad.any():
                i = int(np.nonzero(bad)[0][0])
                return (f"invoke {n} output {k}: {int(bad.sum())} values "
                        f"differ, first {i} (TFLM {e[i]}, xai {g[i]})")
    return None


def check_rejects(wd, module):
    """Each malformed model gets xai's one-line error naming the problem
    (and no crash)."""
    failed = 0
    for name, data, fragment in module.rejects():
        path = os.path.join(wd, f"reject_{name}.tflite")
        with open(path, "wb") as f:
            f.write(data)
        got, err = xai_runs(path, [([], [])])
        if err is None:
            print(f"FAIL reject {name}: xai ran it")
            failed += 1
        elif fragment not in err or "\n" in err.strip():
            print(f"FAIL reject {name}: message {err!r} lacks {fragment!r}")
            failed += 1
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*")
    ap.add_argument("--generate")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--xformer")
    ap.add_argument("--threads", default="1,5")
    ap.add_argument("--invokes", type=int, default=7)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--module", default="tflm_custom_models",
                    help="the models' module (write_all, rejects)")
    args = ap.parse_args()
    os.environ["XAI_INTERP_PY_LIB"] = args.lib
    sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
    paths = list(args.models)
    import importlib
    module = importlib.import_module(args.module)
    if args.generate:
        module.write_all(args.generate)
        paths.insert(0, args.generate)
    models = collect(paths)
    if not models:
        print("skipping: no models")
        return SKIP
    checked = failed = 0
    with tempfile.TemporaryDirectory() as wd:
        for model in models:
            name = os.path.basename(model)[:-len(".tflite")]
            variants = [("runtime", model)]
            for t in ([int(v) for v in args.threads.split(",")]
                      if args.xformer else []):
                path, err = xformer(args.xformer, model, t, wd)
                if err:
                    print(f"FAIL {name} xformer {t} threads: {err}")
                    failed += 1
                    continue
                path2 = os.path.join(wd, f"{name}_x{t}.tflite")
                os.replace(path, path2)
                variants.append((f"xformer {t}t", path2))
            for seed in range(args.seeds):
                runs, err = call_in_child(
                    lambda: tflm_runs(model, seed + 1, args.invokes))
                if err:
                    print(f"FAIL {name}: TFLM: {err}")
                    failed += 1
                    continue
                for label, path in variants:
                    got, err = xai_runs(path, runs)
                    bad = err or mismatch(name, runs, got)
                    checked += 1
                    if bad:
                        failed += 1
                        print(f"FAIL {name} ({label}, seed {seed + 1}): {bad}")
        failed += check_rejects(wd, module)
    print(f"oracle_tflm_custom: {len(models)} models, {checked} runs of "
          f"{args.invokes} invokes checked against TFLite Micro, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
