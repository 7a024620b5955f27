#!/usr/bin/env python3
"""TFLite Micro oracle for the signal library ops: each model runs on TFLM's
interpreter (PyPI `tflite-micro`, which registers the Signal* ops) and on
xai's runtime in-process (xmos_ai_ie.host_interpreter), for several
invokes in a row with fresh inputs each time, so the ops' state (framer,
stacker, delay, overlap-add, noise estimates) is checked across invokes;
every output byte of every invoke must match. With --xformer the model is
also compiled at each --threads count and the compiled model checked the
same way.

  oracle_signal.py [--generate DIR] MODEL_OR_DIR... --lib LIBXAI_INTERP_PY
                   [--xformer XF] [--threads 1,5] [--invokes N] [--seeds N]

Exit 77 when TFLM is not importable or no model is found (the shared models
are absent)."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
try:
    import numpy as np
    from tflite_micro.python.tflite_micro import runtime
    from tflm import call_in_child
except ImportError as e:
    print(f"skipping: TFLite Micro oracle not importable ({e}); run scripts/setup.sh")
    sys.exit(SKIP)


def io_counts(model):
    """Subgraph 0's input and output counts, read from the model: probing
    TFLM's get_*_details past the end reads out of bounds (ASan aborts)."""
    from tflite_micro.tensorflow.lite.micro.python import (
        schema_py_generated as S)
    with open(model, "rb") as f:
        sg = S.Model.GetRootAs(f.read(), 0).Subgraphs(0)
    return sg.InputsLength(), sg.OutputsLength()


def _mix(rng, x, edges, p=0.1):
    flat = x.reshape(-1)
    picks = rng.random(flat.size) < p
    flat[picks] = rng.choice(np.array(edges, dtype=x.dtype), int(picks.sum()))
    return x


def make_input(rng, d, name):
    """Values across each type's range with its edge values mixed in."""
    shape, dt = tuple(d["shape"]), np.dtype(d["dtype"])
    if "__shift" in name and dt == np.int32:
        return rng.integers(0, 20, size=shape, endpoint=True).astype(dt)
    if dt == np.float32:
        x = (rng.uniform(-1, 1, shape) *
             10.0 ** rng.integers(-2, 4, shape)).astype(dt)
        return _mix(rng, x, [0.0, -0.0, 1.0, -1.0])
    if dt in (np.uint32, np.uint64):
        bits = 8 * dt.itemsize
        raw = rng.integers(0, 1 << 62, size=shape, dtype=np.uint64)
        if bits == 64:
            raw = (raw << np.uint64(2)) | rng.integers(0, 4, size=shape,
                                                       dtype=np.uint64)
        x = (raw >> rng.integers(0, bits, size=shape).astype(np.uint64))
        x = (x & np.uint64((1 << bits) - 1)).astype(dt)
        return _mix(rng, x, [0, 1, 2, (1 << bits) - 1, 1 << (bits - 1)])
    info = np.iinfo(dt)
    if "__edge" in name:  # only the extremes: every wrap and saturation
        return rng.choice(np.array([info.min, info.max, info.min + 1, 0, -1],
                                   dtype=dt), size=shape)
    if "__neg" in name:
        x = rng.integers(-50, 50, size=shape).astype(dt)
        x.reshape(-1)[rng.integers(0, x.size)] = info.min
        return x
    x = rng.integers(info.min, info.max, size=shape, endpoint=True,
                     dtype=np.int64).astype(dt)
    small = rng.random(x.shape) < 0.3
    x[small] = rng.integers(-300, 300, size=int(small.sum())).astype(dt)
    return _mix(rng, x, [info.min, info.max, 0, -1, 1])


def tflm_runs(model, seed, invokes):
    """[(inputs, outputs)] per invoke from TFLM."""
    it = runtime.Interpreter.from_file(model, arena_size=1 << 20)
    n_in, n_out = io_counts(model)
    ins_d = [it.get_input_details(k) for k in range(n_in)]
    rng = np.random.default_rng(seed)
    name = os.path.basename(model)
    runs = []
    for _ in range(invokes):
        ins = [make_input(rng, d, name) for d in ins_d]
        for k, x in enumerate(ins):
            it.set_input(x, k)
        it.invoke()
        runs.append((ins, [np.array(it.get_output(k)) for k in range(n_out)]))
    return runs


def xai_runs(model_path, runs):
    """xai's outputs for the same inputs, invoke after invoke; an error
    message instead if the runtime refuses or fails."""
    from xmos_ai_ie.host_interpreter import XaiHostError, \
        xcore_ai_host_interpreter
    try:
        with xcore_ai_host_interpreter(model_path) as ip:
            n_out = len(ip.read_spec()["outputs"])
            got = []
            for ins, _ in runs:
                for k, x in enumerate(ins):
                    ip.write_input_tensor(np.ascontiguousarray(x).tobytes(), k)
                ip.start_inference()
                got.append([ip.read_output_bytes(k) for k in range(n_out)])
            return got, None
    except XaiHostError as e:
        return None, str(e)


def written(name, outputs):
    """Which elements of output 0 TFLM defines: all, a range (__rA_B: an
    energy range), or none (framer/stacker with no complete frame: their
    bool output 1 is false and TFLM leaves output 0 as it was)."""
    m = re.search(r"__r(\d+)_(\d+)", name)
    if m:
        return slice(int(m.group(1)), int(m.group(2)))
    if name.startswith(("framer", "stacker")) and not bool(outputs[1]):
        return slice(0, 0)
    return slice(None)


def mismatch(name, runs, got):
    for n, ((_, expected), outs) in enumerate(zip(runs, got)):
        for k, e in enumerate(expected):
            e = np.ascontiguousarray(e).reshape(-1)
            if k == 0 and written(name, expected) != slice(None):
                part = written(name, expected)
                e = e[part]
                outs = list(outs)
                g = np.frombuffer(outs[0], dtype=e.dtype)[part]
                outs[0] = g.tobytes()
            if e.tobytes() == outs[k]:
                continue
            g = np.frombuffer(outs[k], dtype=e.dtype)
            if g.size != e.size:
                return f"invoke {n} output {k}: {g.size} values, expected {e.size}"
            rows = lambda a: a.view(np.uint8).reshape(a.size, a.itemsize)
            i = int(np.nonzero((rows(e) != rows(g)).any(axis=1))[0][0])
            return (f"invoke {n} output {k}: differs at element {i} "
                    f"(TFLM {e[i]}, xai {g[i]})")
    return None


def xformer(xf, model, threads, workdir):
    out = os.path.join(workdir, f"x{threads}.tflite")
    p = subprocess.run([xf, model, "-o", out, "--xcore-thread-count",
                        str(threads), "--quiet"], capture_output=True,
                       text=True, timeout=120)
    if p.returncode != 0:
        return None, ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1]
    return out, None


# The micro_speech front end: 30 ms windows every 20 ms of 16 kHz audio, 49
# of them (a second) stacked into the keyword model's [1, 1960] input.
HOP, WINDOW, FRAMES = 320, 480, 49


def test_audio(seed):
    """A second of tones over noise, some of it silent: int16 samples."""
    rng = np.random.default_rng(seed)
    t = np.arange(16000) / 16000.0
    x = rng.normal(0, 0.01, t.size)
    for _ in range(3):
        x += rng.uniform(0.05, 0.3) * np.sin(2 * np.pi * rng.uniform(80, 6000) * t)
    x[: rng.integers(0, 4000)] = 0.0
    return np.clip(x * 32767, -32768, 32767).astype(np.int16)


def features_then_scores(run_pre, run_kws, audio):
    feats = [run_pre(audio[i * HOP:i * HOP + WINDOW].reshape(1, WINDOW))
             for i in range(FRAMES)]
    f = np.concatenate([np.frombuffer(b, np.int8) for b in feats])
    return f, np.frombuffer(run_kws(f.reshape(1, -1)), np.int8)


def tflm_pipeline(pre, kws, audio):
    p = runtime.Interpreter.from_file(pre, arena_size=1 << 20)
    k = runtime.Interpreter.from_file(kws, arena_size=1 << 20)

    def run(it):
        def one(x):
            it.set_input(x, 0)
            it.invoke()
            return np.array(it.get_output(0)).tobytes()
        return one
    return features_then_scores(run(p), run(k), audio)


def xai_pipeline(pre, kws, audio):
    from xmos_ai_ie.host_interpreter import xcore_ai_host_interpreter

    def run(ip):
        def one(x):
            ip.write_input_tensor(np.ascontiguousarray(x).tobytes(), 0)
            ip.start_inference()
            return ip.read_output_bytes(0)
        return one
    with xcore_ai_host_interpreter(pre) as p, \
            xcore_ai_host_interpreter(kws) as k:
        return features_then_scores(run(p), run(k), audio)


def check_pipeline(pre, kws, variants, seeds):
    """The front end over a second of audio, then the keyword model: the
    49 x 40 features and the 4 scores must match TFLM's at every step."""
    failed = 0
    for seed in range(seeds):
        audio = test_audio(seed + 1)
        want, err = call_in_child(lambda: tflm_pipeline(pre, kws, audio))
        if err:
            print(f"FAIL pipeline: TFLM: {err}")
            return failed + 1
        for label, p, k in variants:
            got = xai_pipeline(p, k, audio)
            for what, w, g in (("features", want[0], got[0]),
                               ("scores", want[1], got[1])):
                if not np.array_equal(w, g):
                    i = int(np.nonzero(w != g)[0][0])
                    failed += 1
                    print(f"FAIL pipeline ({label}, seed {seed + 1}): {what} "
                          f"differ at {i} (TFLM {w[i]}, xai {g[i]})")
    print(f"pipeline: {len(variants)} variants x {seeds} seconds of audio, "
          f"{FRAMES} front-end invokes each, {failed} failed")
    return failed


def check_rejects(xai, workdir):
    """Each unsupported variant gets a non-zero exit and one line naming
    the op, its index, the types and what TFLM takes; never a crash."""
    import signal_models
    failed = 0
    for name, data, expects in signal_models.bad_models():
        path = os.path.join(workdir, name + ".tflite")
        with open(path, "wb") as f:
            f.write(data)
        p = subprocess.run([xai, "run", path, "--random", "1", "--quiet"],
                           capture_output=True, text=True, timeout=60)
        lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
        missing = [e for e in expects if e not in p.stderr]
        if p.returncode in (0,) or p.returncode < 0 or p.returncode >= 128 \
                or len(lines) != 1 or missing:
            failed += 1
            print(f"FAIL reject {name}: exit {p.returncode}, missing "
                  f"{missing}: {p.stderr.strip()!r}")
    return failed


def check_random(xai, workdir, count):
    """Random (mostly invalid) variants: a clean result or a one-line
    refusal, never a crash (the sanitizer build checks the reads)."""
    import signal_models
    failed = 0
    for name, data in signal_models.random_variants(7, count):
        path = os.path.join(workdir, "random.tflite")
        with open(path, "wb") as f:
            f.write(data)
        p = subprocess.run([xai, "run", path, "--random", "1", "--repeat",
                            "2", "--quiet"], capture_output=True, text=True,
                           errors="replace", timeout=60)
        lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
        sanitizer = "runtime error" in p.stderr or "Sanitizer" in p.stderr
        if p.returncode not in (0, 1) or sanitizer or \
                (p.returncode and len(lines) != 1):
            failed += 1
            print(f"FAIL {name}: exit {p.returncode}: {p.stderr.strip()[-300:]!r}")
    return failed


def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += [os.path.join(p, f) for f in sorted(os.listdir(p))
                    if f.endswith(".tflite")]
        elif os.path.exists(p):
            out.append(p)
        else:
            print(f"skipping {p}: not found (../shared absent?)")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*")
    ap.add_argument("--generate")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--xformer")
    ap.add_argument("--threads", default="1,5")
    ap.add_argument("--invokes", type=int, default=4)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--pipeline", nargs=2, metavar=("FRONT_END", "KWS"),
                    help="the front end feeding the keyword model")
    ap.add_argument("--reject", metavar="XAI",
                    help="also check the unsupported variants' messages")
    ap.add_argument("--random", type=int, default=0, metavar="N",
                    help="with --reject: N random variants must not crash")
    args = ap.parse_args()
    os.environ["XAI_INTERP_PY_LIB"] = args.lib
    sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
    paths = list(args.models)
    if args.generate:
        import signal_models
        signal_models.write_all(args.generate)
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
            if args.xformer:
                for t in [int(v) for v in args.threads.split(",")]:
                    path, err = xformer(args.xformer, model, t, wd)
                    if err:
                        print(f"FAIL {name} xformer {t} threads: {err}")
                        failed += 1
                    else:
                        path2 = os.path.join(wd, f"{name}_x{t}.tflite")
                        os.replace(path, path2)
                        variants.append((f"xformer {t}t", path2))
            for seed in range(args.seeds):
                runs, err = call_in_child(lambda: tflm_runs(model, seed + 1, args.invokes))
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
        if args.reject:
            failed += check_rejects(args.reject, wd)
            failed += check_random(args.reject, wd, args.random)
        if args.pipeline and all(os.path.exists(p) for p in args.pipeline):
            pre, kws = args.pipeline
            variants = [("runtime", pre, kws)]
            for t in [int(v) for v in args.threads.split(",")] if args.xformer else []:
                xp = []
                for i, m in enumerate((pre, kws)):
                    path, err = xformer(args.xformer, m, t, wd)
                    if err:
                        print(f"FAIL pipeline: xformer {t} threads: {err}")
                        failed += 1
                        break
                    xp.append(os.path.join(wd, f"pipe{i}_{t}.tflite"))
                    os.replace(path, xp[-1])
                if len(xp) == 2:
                    variants.append((f"xformer {t}t", xp[0], xp[1]))
            failed += check_pipeline(pre, kws, variants, args.seeds)
        elif args.pipeline:
            print("skipping the pipeline: its models are absent")
    print(f"oracle_signal: {len(models)} models, {checked} runs of "
          f"{args.invokes} invokes checked against TFLite Micro, "
          f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
