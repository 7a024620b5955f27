#!/usr/bin/env python3
"""Binarized-op oracle: the Larq Compute Engine interpreter against
`xai run`, byte for byte.

  lce_oracle.py generate DIR          write the LCE test models into DIR
  lce_oracle.py check --xai XAI DIR   random inputs (--seeds N, default 3)
      through the LCE interpreter (its reference LceBconv2d kernel) and
      `xai run`; every output byte must agree.
  lce_oracle.py compiled --xai XAI DIR   every model through `xformer` at
      1, 2, 5 and 8 threads, then `xai run`: every LceBconv2d lowered to
      XAI_bconv2d and LceQuantize to XAI_bquantize, every output byte
      equal to the LCE interpreter's and to the uncompiled model's run.

The LCE interpreter's optimized LceBconv2d kernel (its default on x86) is
run too where it accepts the model; it differs from LCE's own reference
kernel in the last float bit on zero-padded float outputs (it corrects the
padding afterwards in float), so agreement with it is reported, not
required there. Exit 77 (ctest skip) when the LCE oracle is absent."""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lce_lib  # noqa: E402

_, Interpreter = lce_lib.import_or_skip()
import numpy as np  # noqa: E402
import lce_models  # noqa: E402


def random_input(rng, shape, dtype):
    if dtype == np.float32:
        return rng.uniform(-2.0, 2.0, size=shape).astype(np.float32)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True,
                        dtype=np.int64).astype(dtype)


def lce(model, inputs, reference):
    it = Interpreter(model, num_threads=1, use_reference_bconv=reference)
    return list(it.interpreter.predict(inputs))


def xai_run(xai, path, inputs, workdir):
    in_path, out_path = os.path.join(workdir, "in.bin"), os.path.join(workdir, "out.bin")
    with open(in_path, "wb") as f:
        for x in inputs:
            f.write(np.ascontiguousarray(x).tobytes())
    if os.path.exists(out_path):
        os.remove(out_path)
    p = subprocess.run([xai, "run", path, "--input", in_path, "--output",
                        out_path, "--quiet"], capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        return None, ((p.stderr or p.stdout).strip().splitlines() or ["?"])[-1]
    with open(out_path, "rb") as f:
        return f.read(), None


def mismatch(expected, got):
    off = 0
    for k, e in enumerate(expected):
        g = np.frombuffer(got[off:off + e.nbytes], dtype=e.dtype)
        off += e.nbytes
        if g.size != e.size:
            return f"output {k}: {g.size} elements, expected {e.size}"
        bad = np.nonzero(e.reshape(-1).view(np.uint8 if e.dtype == np.int8 else e.dtype)
                         != g.view(np.uint8 if e.dtype == np.int8 else g.dtype))[0]
        if e.dtype == np.float32:
            bad = np.nonzero(e.reshape(-1).view(np.uint32) != g.view(np.uint32))[0]
        if bad.size:
            i = bad[0]
            return (f"output {k}: {bad.size} of {e.size} differ, first at {i} "
                    f"(expected {e.reshape(-1)[i]}, got {g[i]})")
    return None if off == len(got) else f"{len(got)} output bytes, expected {off}"


def check(args):
    paths = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir)
                   if f.endswith(".tflite"))
    if not paths:
        print(f"skipping: no models in {args.dir}")
        return lce_lib.SKIP
    passed = failed = opt_differs = 0
    with tempfile.TemporaryDirectory() as work:
        for path in paths:
            name = os.path.basename(path)
            with open(path, "rb") as f:
                model = f.read()
            it = Interpreter(model, use_reference_bconv=True)
            for seed in range(args.seeds):
                rng = np.random.default_rng(seed)
                inputs = [random_input(rng, s, t) for s, t in
                          zip(it.input_shapes, it.input_types)]
                want = lce(model, inputs, True)
                got, err = xai_run(args.xai, path, inputs, work)
                problem = err and f"xai run failed: {err}" or mismatch(want, got)
                if problem:
                    failed += 1
                    print(f"FAIL {name} seed {seed}: {problem}", flush=True)
                    break
                passed += 1
                try:
                    opt = lce(model, inputs, False)
                except RuntimeError:
                    continue  # the optimized kernel refuses this variant
                if mismatch(opt, got):
                    opt_differs += 1
                    if args.verbose:
                        print(f"note: {name} seed {seed}: LCE's optimized "
                              f"kernel: {mismatch(opt, got)}")
    print(f"{passed} passed, {failed} failed ({len(paths)} models; "
          f"{opt_differs} runs where LCE's optimized kernel differs from its "
          f"reference kernel)")
    return 1 if failed else 0


def compiled(args):
    xformer = os.path.join(os.path.dirname(os.path.dirname(args.xai)),
                           "xformer", "xformer")
    paths = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir)
                   if f.endswith(".tflite"))
    if not paths or not os.path.exists(xformer):
        print(f"skipping: no models in {args.dir} or no xformer")
        return lce_lib.SKIP
    passed = failed = lowered = 0
    with tempfile.TemporaryDirectory() as work:
        for path in paths:
            name = os.path.basename(path)
            with open(path, "rb") as f:
                model = f.read()
            it = Interpreter(model, use_reference_bconv=True)
            for seed, threads in enumerate((1, 2, 5, 8)):
                out = os.path.join(work, f"t{threads}_{name}")
                p = subprocess.run([xformer, path, "-o", out,
                                    f"--xcore-thread-count={threads}"],
                                   capture_output=True, text=True, timeout=300)
                if p.returncode != 0:
                    failed += 1
                    print(f"FAIL {name} xformer: {(p.stderr or p.stdout).strip()}")
                    continue
                layers = [ln.split()[1] for ln in p.stdout.splitlines()
                          if len(ln.split()) > 2 and ln.split()[0].isdigit()]
                if b"LceBconv2d" in model or b"LceQuantize" in model:
                    if "LceBconv2d" in layers or "LceQuantize" in layers:
                        failed += 1
                        print(f"FAIL {name} {threads} threads: LceBconv2d or "
                              f"LceQuantize not lowered: {layers}")
                        continue
                    lowered += 1
                rng = np.random.default_rng(seed)
                inputs = [random_input(rng, s, t) for s, t in
                          zip(it.input_shapes, it.input_types)]
                want = lce(model, inputs, True)
                ref, _ = xai_run(args.xai, path, inputs, work)
                got, err = xai_run(args.xai, out, inputs, work)
                problem = err and f"xai run failed: {err}" or \
                    mismatch(want, got) or (ref != got and "differs from the "
                                            "uncompiled model's run")
                if problem:
                    failed += 1
                    print(f"FAIL {name} {threads} threads: {problem}", flush=True)
                else:
                    passed += 1
    print(f"{passed} passed, {failed} failed ({len(paths)} models at 1/2/5/8 "
          f"threads; {lowered} compiled runs with XAI_bconv2d/XAI_bquantize)")
    return 1 if failed else 0


# (name, bconv arguments, text the one-line error must contain)
REJECT_CASES = [
    ("pad_values_2", dict(cin=32, opts_override={"pad_values": 2}), "'pad_values'"),
    ("act_tanh", dict(cin=32, opts_override={"fused_activation_function": 4}),
     "'fused_activation_function' is 4 (TANH)"),
    ("zero_pad_odd_cin", dict(cin=3, pad_values=0), "'pad_values' 0"),
    ("group_not_32", dict(cin=48, groups=2), "groups"),
    ("no_channels_in", dict(cin=32, opts_override={"channels_in": None}),
     "'channels_in'"),
]


# XAI_bconv2d with options an xformer never writes: one line naming the op
# and the option (name, options change, text)
XAI_REJECT_CASES = [
    ("xai_no_th", {"th": None}, "'th'"),
    ("xai_threads_9", {"th": 9}, "'th' is 9"),
    ("xai_bad_groups", {"g": 3}, "cin 32, g 3"),
    ("xai_huge_stride", {"oh": 1 << 20, "sh": 60000, "pool": 1, "pfh": 2,
                         "pfw": 2, "psh": 2, "psw": 2, "pph": 0, "ppw": 0},
     "out of range"),
]


def xai_bconv_model(change):
    n = lce_lib.Net()
    x = n.input([1, 4, 4, 1], np.int32)
    f = n.tensor([8, 3, 3, 1], np.int32, data=np.arange(72, dtype=np.int32))
    th = n.tensor([8], np.int32, data=np.full(8, 100, dtype=np.int32))
    y = n.tensor([1, 4, 4, 1], np.int32)
    opts = {"th": 2, "cin": 32, "g": 1, "oc": 8, "oh": 4, "ow": 4, "sh": 1,
            "sw": 1, "dh": 1, "dw": 1, "ph": 1, "pw": 1, "zp": 0, "cmin": 0,
            "cmax": 0, "pool": 0}
    opts.update(change)
    n.op("XAI_bconv2d", [x, f, th], [y],
         {k: v for k, v in opts.items() if v is not None})
    return n.finish([y])


def reject(args):
    """Unsupported LCE variants: `xai run` and `xformer` must each fail with
    one line naming LceBconv2d and the option, never crash."""
    passed = failed = 0
    xformer = os.path.join(os.path.dirname(os.path.dirname(args.xai)),
                           "xformer", "xformer")
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as work:
        for name, kw, text in REJECT_CASES:
            cin = kw.pop("cin")
            n = lce_lib.Net()
            x = n.input([1, 5, 5, lce_lib.packed(cin)], np.int32)
            y, _ = lce_lib.bconv(n, x, (5, 5), cin, 8, rng=rng, out="int8",
                                 out_scale=0.5, **kw)
            path = os.path.join(work, name + ".tflite")
            with open(path, "wb") as f:
                f.write(n.finish([y]))
            tools = [[args.xai, "run", path, "--random", "0", "--quiet"]]
            if os.path.exists(xformer):
                tools.append([xformer, path, "-o", path + ".out.tflite"])
            for cmd in tools:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
                lines = (p.stdout + p.stderr).strip().splitlines()
                tool = os.path.basename(cmd[0])
                if (p.returncode > 0 and len(lines) == 1 and text in lines[0]
                        and "LceBconv2d" in lines[0]):
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL {name} ({tool}): exit {p.returncode}: "
                          f"{' | '.join(lines)}")
        for name, change, text in XAI_REJECT_CASES:
            path = os.path.join(work, name + ".tflite")
            with open(path, "wb") as f:
                f.write(xai_bconv_model(change))
            p = subprocess.run([args.xai, "run", path, "--random", "0",
                                "--quiet"], capture_output=True, text=True,
                               timeout=60)
            lines = (p.stdout + p.stderr).strip().splitlines()
            if (p.returncode > 0 and len(lines) == 1 and text in lines[0]
                    and "XAI_bconv2d" in lines[0]):
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name}: exit {p.returncode}: {' | '.join(lines)}")
        # the valid model of the same family runs
        path = os.path.join(work, "xai_ok.tflite")
        with open(path, "wb") as f:
            f.write(xai_bconv_model({}))
        p = subprocess.run([args.xai, "run", path, "--random", "0", "--quiet"],
                           capture_output=True, text=True, timeout=60)
        passed, failed = (passed + 1, failed) if p.returncode == 0 else \
            (passed, failed + 1)
        if p.returncode:
            print(f"FAIL xai_ok: {(p.stdout + p.stderr).strip()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["generate", "check", "compiled", "reject"])
    ap.add_argument("dir")
    ap.add_argument("--xai")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.mode == "generate":
        names = lce_models.write_all(args.dir)
        print(f"wrote {len(names)} models to {args.dir}")
        return 0
    return {"check": check, "compiled": compiled, "reject": reject}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
