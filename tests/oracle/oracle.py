#!/usr/bin/env python3
"""Bit-exactness oracle: runs models with TFLite Micro's interpreter (the
default, `--oracle tflm`) or LiteRT's reference kernels (`--oracle litert`,
OpResolverType.BUILTIN_REF, with `xai run --semantics litert`) and with
`xai run` on the same inputs and compares every output byte.

Modes:
  oracle.py random --xai XAI MODEL_OR_DIR... [--seeds N]
      random inputs from N seeds (default 5) per model.
  --xformer XFORMER [--threads 1,5] (random and golden modes): xai runs each
      model compiled by the xformer at each thread count instead.
  oracle.py golden --xai XAI DIR...
      models NAME.tflite with NAME_input<k>_int16.csv and NAME_golden_int16.csv
      (reference outputs of an older TFLite Micro): xai must agree with the
      oracle on those inputs, and with the golden file in the litert mode
      (the goldens follow LiteRT's float32 LEAKY_RELU ratios; in the tflm
      mode a golden difference is printed as a note).
  oracle.py reject --xai XAI MODEL --expect TEXT...
      xai must refuse the model with an error containing every TEXT.

Prints one line per failure and a closing 'N passed, N failed' line; exits 1
on any failure. Exit code 77 (ctest skip) when the models or the oracle are
absent.
"""
import argparse
import glob
import os
import pickle
import subprocess
import sys
import tempfile

SKIP = 77

try:
    import numpy as np
except ImportError as e:  # installed by scripts/setup.sh
    print(f"skipping: numpy not importable ({e}); run scripts/setup.sh")
    sys.exit(SKIP)
Interpreter = OpResolverType = tflm = None


def import_oracle(kind):
    """Imports the chosen oracle; exits with the skip code when absent."""
    global Interpreter, OpResolverType, tflm
    try:
        if kind == "litert":
            from ai_edge_litert.interpreter import Interpreter, OpResolverType
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import tflm
    except ImportError as e:  # the oracles are installed by scripts/setup.sh
        print(f"skipping: {kind} oracle not importable ({e}); "
              "run scripts/setup.sh")
        sys.exit(SKIP)


def _fb_field(buf, table, field_id):
    """Position of a flatbuffer table field, or None when absent."""
    vtable = table - int.from_bytes(buf[table:table + 4], "little", signed=True)
    vt_size = int.from_bytes(buf[vtable:vtable + 2], "little")
    slot = 4 + 2 * field_id
    if slot + 2 > vt_size:
        return None
    off = int.from_bytes(buf[vtable + slot:vtable + slot + 2], "little")
    return table + off if off else None


def _fb_deref(buf, pos):
    return pos + int.from_bytes(buf[pos:pos + 4], "little")


def _fb_vector(buf, pos):
    start = _fb_deref(buf, pos)
    return start + 4, int.from_bytes(buf[start:start + 4], "little")


def per_tensor_quant_fixed(data):
    """Copy of a model with quantized_dimension set to 0 where it is past the
    tensor's rank (person_detect's rank-1 biases carry the depthwise filter's
    dimension 3). TFLite Micro ignores the field for biases, LiteRT rejects it;
    a rank-1 tensor has only dimension 0, so the meaning is unchanged."""
    buf = bytearray(data)
    model = _fb_deref(buf, 0)
    subgraphs = _fb_field(buf, model, 2)
    sg_start, sg_count = _fb_vector(buf, subgraphs)
    for s in range(sg_count):
        sg = _fb_deref(buf, sg_start + 4 * s)
        tensors = _fb_field(buf, sg, 0)
        if tensors is None:
            continue
        t_start, t_count = _fb_vector(buf, tensors)
        for t in range(t_count):
            tensor = _fb_deref(buf, t_start + 4 * t)
            q = _fb_field(buf, tensor, 4)
            if q is None:
                continue
            quant = _fb_deref(buf, q)
            scale, dim = _fb_field(buf, quant, 2), _fb_field(buf, quant, 6)
            if scale is None or dim is None:
                continue
            shape = _fb_field(buf, tensor, 0)
            rank = _fb_vector(buf, shape)[1] if shape is not None else 0
            if int.from_bytes(buf[dim:dim + 4], "little", signed=True) >= rank:
                buf[dim:dim + 4] = (0).to_bytes(4, "little")
    return bytes(buf)


def litert(path):
    try:
        it = Interpreter(model_path=path,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    except ValueError as e:
        if "quantized_dimension" not in str(e):
            raise
        with open(path, "rb") as f:
            fixed = per_tensor_quant_fixed(f.read())
        it = Interpreter(model_content=fixed,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    return it


def litert_run(it, inputs):
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [it.get_tensor(d["index"]) for d in it.get_output_details()]


def random_input(rng, detail):
    shape, dtype = detail["shape"], detail["dtype"]
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True,
                            dtype=dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    return rng.uniform(-4.0, 4.0, size=shape).astype(dtype)


SEMANTICS = []  # extra `xai run` arguments for the oracle's semantics


def xai_run(xai, model, inputs, workdir):
    in_path = os.path.join(workdir, "in.bin")
    out_path = os.path.join(workdir, "out.bin")
    with open(in_path, "wb") as f:
        for x in inputs:
            f.write(np.ascontiguousarray(x).tobytes())
    if os.path.exists(out_path):
        os.remove(out_path)
    p = subprocess.run([xai, "run", model, "--input", in_path, "--output",
                        out_path, "--quiet"] + SEMANTICS, capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        return None, (p.stderr or p.stdout).strip().splitlines()[-1:] or ["?"]
    with open(out_path, "rb") as f:
        return f.read(), None


def describe_mismatch(expected, got_bytes):
    """First differing element and the largest difference, per output."""
    offset = 0
    for k, e in enumerate(expected):
        n = e.nbytes
        g = np.frombuffer(got_bytes[offset:offset + n], dtype=e.dtype)
        offset += n
        if g.size != e.size:
            return f"output {k}: {g.size} elements, expected {e.size}"
        flat = e.reshape(-1)
        bad = np.nonzero(flat != g)[0]
        if bad.size:
            i = bad[0]
            diff = np.max(np.abs(flat.astype(np.float64) - g.astype(np.float64)))
            return (f"output {k}: {bad.size} of {flat.size} elements differ, "
                    f"first at {i} (expected {flat[i]}, got {g[i]}), "
                    f"max |diff| {diff:g}")
    if offset != len(got_bytes):
        return f"xai wrote {len(got_bytes)} output bytes, expected {offset}"
    return None


def collect(paths, suffix=".tflite"):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                out += [os.path.join(root, f) for f in files if f.endswith(suffix)]
        elif os.path.exists(p):
            out.append(p)
    return sorted(out)


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self):
        self.passed += 1

    def fail(self, what):
        self.failed += 1
        print(f"FAIL {what}", flush=True)

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def litert_in_child(model, seed):
    """Random inputs for the seed and LiteRT's outputs for them, computed in
    a forked child with one interpreter that leaves with os._exit: LiteRT was
    seen to corrupt its heap on the SVDF models (keyword_scrambled*) so that a
    second interpreter or the tear-down aborts, which must not take the
    harness down."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            it = litert(model)
            rng = np.random.default_rng(seed)
            inputs = [random_input(rng, d) for d in it.get_input_details()]
            payload = pickle.dumps(("ok", (inputs, litert_run(it, inputs))))
        except Exception as e:
            payload = pickle.dumps(("error", str(e)))
        with os.fdopen(w, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return None, f"LiteRT crashed (wait status {status})"
    kind, value = pickle.loads(data)
    return (value, None) if kind == "ok" else (None, value)


def compiled(args, model, workdir):
    """[(label, path)] to run with xai: the model itself, or with --xformer
    the model compiled at each of --threads (in the oracle's semantics)."""
    if not args.xformer:
        return [("", model)], None
    out = []
    for th in args.threads.split(","):
        path = os.path.join(workdir, f"xformed{th}.tflite")
        cmd = [args.xformer, model, "-o", path, "--quiet",
               "--xcore-thread-count", th]
        if args.oracle == "litert":
            cmd += ["--xcore-semantics", "litert"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            return None, f"xformer at {th} threads: " + (
                (p.stderr or p.stdout).strip().splitlines() or ["?"])[-1]
        out.append((f" xformer {th} threads", path))
    return out, None


def oracle_in_child(kind, model, seed):
    if kind == "litert":
        return litert_in_child(model, seed)
    rng = np.random.default_rng(seed)
    return tflm.in_child(model, lambda details: [
        random_input(rng, d) for d in details])


def mode_random(args, tally, workdir):
    models = collect(args.models)
    if not models:
        print(f"skipping: no models under {' '.join(args.models)}")
        return SKIP
    for model in models:
        name = os.path.relpath(model)
        targets, error = compiled(args, model, workdir)
        if error:
            tally.fail(f"{name}: {error}")
            continue
        for seed in range(args.seeds):
            run, error = oracle_in_child(args.oracle, model, seed)
            if error:  # the oracle refused the model: a generator bug
                tally.fail(f"{name}: {args.oracle} cannot run it: {error}")
                break
            inputs, expected = run
            for label, path in targets:
                got, error = xai_run(args.xai, path, inputs, workdir)
                if error:
                    tally.fail(f"{name}{label} seed {seed}: xai run failed: "
                               f"{error[0]}")
                    continue
                problem = describe_mismatch(expected, got)
                if problem:
                    tally.fail(f"{name}{label} seed {seed}: {problem}")
                else:
                    tally.ok()
    return None


def read_csv(path, dtype):
    with open(path) as f:
        text = f.read().replace("\n", ",")
    return np.array([int(v) for v in text.split(",") if v.strip()], dtype=dtype)


def one_file(pattern):
    matches = glob.glob(pattern)
    return matches[0] if len(matches) == 1 else None


def golden_inputs(stem, details):
    """The model's inputs from NAME_input<k>_*.csv, or None if one is missing."""
    inputs = []
    for k, d in enumerate(details):
        path = one_file(f"{stem}_input{k}_*.csv")
        if not path:
            return None
        inputs.append(read_csv(path, d["dtype"]).reshape(d["shape"]))
    return inputs


def oracle_on_golden(kind, model, stem):
    """(inputs, oracle outputs) for the golden inputs, or (None, error)."""
    if kind == "tflm":
        def make(details):
            inputs = golden_inputs(stem, details)
            if inputs is None:
                raise ValueError("an input file is missing")
            return inputs
        return tflm.in_child(model, make)
    it = litert(model)
    inputs = golden_inputs(stem, it.get_input_details())
    if inputs is None:
        return None, "an input file is missing"
    return (inputs, litert_run(it, inputs)), None


def mode_golden(args, tally, workdir):
    """NAME_input<k>_<type>.csv and NAME_golden_<type>.csv hold the flat
    values; the tensors' own dtypes say how to pack them."""
    models = collect(args.models)
    if not models:
        print(f"skipping: no models under {' '.join(args.models)}")
        return SKIP
    for model in models:
        stem = model[:-len(".tflite")]
        name = os.path.relpath(model)
        golden_path = one_file(f"{stem}_golden_*.csv")
        if not golden_path:
            continue
        run, error = oracle_on_golden(args.oracle, model, stem)
        if error:
            tally.fail(f"{name}: {args.oracle}: {error}")
            continue
        inputs, ref = run
        golden = read_csv(golden_path, ref[0].dtype).reshape(ref[0].shape)
        targets, error = compiled(args, model, workdir)
        if error:
            tally.fail(f"{name}: {error}")
            continue
        for label, path in targets:
            got, error = xai_run(args.xai, path, inputs, workdir)
            if error:
                tally.fail(f"{name}{label}: xai run failed: {error[0]}")
                continue
            problem = describe_mismatch([golden], got[:golden.nbytes])
            if problem and args.oracle == "litert":
                tally.fail(f"{name}{label}: against golden: {problem}")
                continue
            if problem:
                # The goldens come from an older TFLite Micro that computed
                # LEAKY_RELU's ratios in float32, as LiteRT does; the PyPI
                # interpreter uses double. The interpreter is the oracle.
                print(f"note {name}{label}: differs from its golden file: "
                      f"{problem}")
            problem = describe_mismatch(ref, got)
            if problem:
                tally.fail(f"{name}{label}: against {args.oracle}: {problem}")
                continue
            tally.ok()
    return None


def mode_reject(args, tally, workdir):
    model = args.models[0]
    if not os.path.exists(model):
        print(f"skipping: {model} not found")
        return SKIP
    p = subprocess.run([args.xai, "run", model, "--random", "0", "--quiet"],
                       capture_output=True, text=True, timeout=60)
    text = p.stdout + p.stderr
    if p.returncode == 0:
        tally.fail(f"{model}: xai run accepted a model it must refuse")
    elif p.returncode < 0:
        tally.fail(f"{model}: xai run crashed (signal {-p.returncode})")
    else:
        missing = [t for t in args.expect if t not in text]
        if missing:
            tally.fail(f"{model}: error does not mention {missing}: {text.strip()}")
        else:
            tally.ok()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["random", "golden", "reject"])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--xai", required=True, help="path of the xai tool")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--oracle", choices=["tflm", "litert"], default="tflm")
    ap.add_argument("--xformer", help="compile each model with this xformer "
                    "first (xai runs the compiled model)")
    ap.add_argument("--threads", default="1,5",
                    help="thread counts for --xformer (default 1,5)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="skip models whose file name contains this")
    ap.add_argument("--expect", action="append", default=[])
    args = ap.parse_args()
    import_oracle(args.oracle)
    if args.oracle == "litert":
        SEMANTICS.extend(["--semantics", "litert"])
    if args.exclude:
        args.models = [m for m in collect(args.models)
                       if not any(x in os.path.basename(m) for x in args.exclude)]
    tally = Tally()
    with tempfile.TemporaryDirectory() as workdir:
        mode = {"random": mode_random, "golden": mode_golden,
                "reject": mode_reject}[args.mode]
        early = mode(args, tally, workdir)
    if early is not None:
        return early
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
