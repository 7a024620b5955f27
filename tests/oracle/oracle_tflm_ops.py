#!/usr/bin/env python3
"""TFLite Micro oracle for the builtin suite (xai_oracle_gen_builtins):
runs each model on TFLM's interpreter (the PyPI `tflite-micro` package) and
on `xai run`, then compiles it with the xformer at 1 and 5 threads and runs
the compiled model too; every output byte must match TFLM's.

  oracle_tflm_ops.py DIR_OR_MODEL... --xai XAI --xformer XFORMER [--seeds N]

Model names pick the inputs: `__pos` non-negative real values, `__nz` a
non-zero second input (`__nzq`: never its zero point), `__idxN` integers in [0, N), `__big` floats in (-24, 24), `__f` float edge values (0, +-0.5, +-1.5, 2.5, ...)
mixed into the random ones, `__edge` integer limits and zero points mixed in, `__repN` N invokes. A model the xformer refuses because it is float
is counted as `after-xformer skipped (float)`: the xformer passes float ops
through only once that lands. Exit 77 when TFLM is not installed.
"""
import argparse
import os
import pickle
import re
import subprocess
import sys
import tempfile

SKIP = 77
try:
    import numpy as np
    from tflite_micro.python.tflite_micro import runtime
except ImportError as e:
    print(f"skipping: TFLite Micro oracle not importable ({e}); run scripts/setup.sh")
    sys.exit(SKIP)

EDGES = np.array([0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1.0, -1.0,
                  3.5, 1e-3, -7.25], dtype=np.float32)


def details(it, getter):
    out = []
    for i in range(16):
        try:
            out.append(getter(i))
        except Exception:
            break
    return out


def make_input(rng, d, k, name):
    shape, dtype = tuple(d["shape"]), np.dtype(d["dtype"])
    pos = "__pos" in name
    nz = "__nz" in name and k == 1
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if dtype == np.float32:
        x = rng.uniform(0.0 if pos else -4.0, 4.0, size=shape).astype(np.float32)
        if "__f" in name and x.size:
            flat = x.reshape(-1)
            picks = rng.random(flat.size) < 0.3
            flat[picks] = rng.choice(EDGES, size=int(picks.sum()))
            if pos:
                flat[:] = np.abs(flat)
        if "__big" in name:  # past LOGISTIC's cut-offs (-9, 16.6)
            x = (x * np.float32(6.0)).astype(np.float32)
        if pos:
            x = np.where(x == 0, np.float32(0.25), x).astype(np.float32)
        if nz:
            x = np.where(np.abs(x) < 0.05, np.float32(0.75), x).astype(np.float32)
        return x
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    if dtype.itemsize >= 4:  # keep int32/int64 arithmetic clear of overflow
        lo, hi = max(lo, -30000), 30000
    if "__idx" in name:  # indices / ids: [0, N)
        lo, hi = 0, int(re.search(r"__idx(\d+)", name).group(1)) - 1
    q = d.get("quantization_parameters") or {}
    zps = q.get("zero_points")
    if pos and zps is not None and len(zps):
        lo = int(zps[0])
    elif pos:
        lo = 0
    x = rng.integers(lo, hi, size=shape, endpoint=True, dtype=np.int64)
    if "__edge" in name and x.size:  # the type's limits and zero point
        z = int(zps[0]) if zps is not None and len(zps) else 0
        edges = np.array([v for v in (lo, hi, z, z + 1, z - 1) if lo <= v <= hi])
        flat = x.reshape(-1)
        picks = rng.random(flat.size) < 0.3
        flat[picks] = rng.choice(edges, size=int(picks.sum()))
    if nz:
        x = np.where(x == 0, 1, x)
    if "__nzq" in name and k == 1 and zps is not None and len(zps):
        z = int(zps[0])  # a quantized divisor: never its zero point
        x = np.where(x == z, z + 1 if z < hi else z - 1, x)
    return x.astype(dtype)


def tflm_in_child(model, seed):
    """Inputs and TFLM outputs, computed in a forked child so that an abort
    inside TFLM cannot take the harness down."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            with open(model, "rb") as f:
                data = f.read()
            it = runtime.Interpreter.from_bytes(data, arena_size=1 << 20)
            name = os.path.basename(model)
            rng = np.random.default_rng(seed)
            ins = [make_input(rng, d, k, name)
                   for k, d in enumerate(details(it, it.get_input_details))]
            # Inputs share arena memory with later tensors: set each time.
            for _ in range(repeats(name)):
                for k, x in enumerate(ins):
                    it.set_input(x, k)
                it.invoke()
            outs = [np.array(it.get_output(k))
                    for k in range(len(details(it, it.get_output_details)))]
            payload = pickle.dumps(("ok", (ins, outs)))
        except Exception as e:  # noqa: BLE001 - reported as the failure
            payload = pickle.dumps(("error", str(e).strip().splitlines()[-1:]))
        with os.fdopen(w, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return None, f"TFLM crashed (wait status {status})"
    kind, value = pickle.loads(data)
    return (value, None) if kind == "ok" else (None, value)


def repeats(name):
    """`__repN`: invoke N times (state that persists across invokes)."""
    m = re.search(r"__rep(\d+)", name)
    return int(m.group(1)) if m else 1


def xai_run(xai, model, inputs, workdir):
    in_path = os.path.join(workdir, "in.bin")
    out_path = os.path.join(workdir, "out.bin")
    with open(in_path, "wb") as f:
        for x in inputs:
            f.write(np.ascontiguousarray(x).tobytes())
    if os.path.exists(out_path):
        os.remove(out_path)
    rep = ["--repeat", str(repeats(os.path.basename(model)))]
    p = subprocess.run([xai, "run", model, "--input", in_path, "--output",
                        out_path, "--quiet"] + rep, capture_output=True,
                       text=True, timeout=120)
    if p.returncode != 0:
        return None, ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1]
    with open(out_path, "rb") as f:
        return f.read(), None


def mismatch(expected, got):
    offset = 0
    for k, e in enumerate(expected):
        e = np.ascontiguousarray(e)
        g = np.frombuffer(got[offset:offset + e.nbytes], dtype=e.dtype)
        offset += e.nbytes
        flat = e.reshape(-1)
        if g.size != flat.size:
            return f"output {k}: {g.size} elements, expected {flat.size}"
        same = flat.view(np.uint8) == g.view(np.uint8)
        if not same.all():
            bad = np.nonzero(flat.view(np.uint8) != g.view(np.uint8))[0]
            i = bad[0] // e.itemsize
            return (f"output {k}: {bad.size} bytes differ, first element {i} "
                    f"(expected {flat[i]}, got {g[i]})")
    if offset != len(got):
        return f"xai wrote {len(got)} bytes, expected {offset}"
    return None


def xformer(xf, model, threads, workdir):
    out = os.path.join(workdir, f"x{threads}_{os.path.basename(model)}")
    p = subprocess.run([xf, model, "-o", out, "--xcore-thread-count",
                        str(threads), "--quiet"], capture_output=True,
                       text=True, timeout=120)
    if p.returncode != 0:
        return None, ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1]
    return out, None


def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += [os.path.join(p, f) for f in os.listdir(p)
                    if f.endswith(".tflite")]
        elif os.path.exists(p):
            out.append(p)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--xai", required=True)
    ap.add_argument("--xformer")
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--threads", default="1,5")
    args = ap.parse_args()
    models = collect(args.models)
    if not models:
        print(f"skipping: no models under {' '.join(args.models)}")
        return SKIP
    passed = failed = xf_float = xf_ok = 0
    with tempfile.TemporaryDirectory() as wd:
        for model in models:
            name = os.path.basename(model)[:-len(".tflite")]
            compiled = []
            if args.xformer:
                for t in [int(v) for v in args.threads.split(",")]:
                    path, err = xformer(args.xformer, model, t, wd)
                    if path:
                        compiled.append((t, path))
                    elif "float" in err.lower():
                        xf_float += 1
                    else:
                        failed += 1
                        print(f"FAIL {name}: xformer at {t} threads: {err}")
            for seed in range(args.seeds):
                run, err = tflm_in_child(model, seed)
                if err:
                    failed += 1
                    print(f"FAIL {name}: TFLM cannot run it: {err}")
                    break
                inputs, expected = run
                # The compiled models run on the first seed's inputs.
                runs = [("runtime", model)] + [(f"xformer {t} threads", p)
                                               for t, p in compiled
                                               if seed == 0]
                ok = True
                for what, path in runs:
                    got, err = xai_run(args.xai, path, inputs, wd)
                    problem = err and f"xai run failed: {err}"
                    problem = problem or mismatch(expected, got)
                    if problem:
                        ok = False
                        print(f"FAIL {name} seed {seed} ({what}): {problem}")
                    elif what != "runtime":
                        xf_ok += 1
                if ok:
                    passed += 1
                else:
                    failed += 1
    print(f"{passed} passed, {failed} failed ({len(models)} models; "
          f"{xf_ok} after-xformer runs matched, after-xformer skipped "
          f"(float) {xf_float})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
