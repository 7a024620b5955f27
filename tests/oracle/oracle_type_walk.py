#!/usr/bin/env python3
"""Every builtin and tensor type, TFLite Micro against xai.

For each builtin of the TFLite schema and each type of
type_walk_models.TYPES, one single-op model (type_walk_models.py) goes to
TFLite Micro's interpreter (the PyPI `tflite-micro` package, in a forked
child). Where TFLM runs it, `xai run` must either give TFLM's bytes or
refuse it with one line that names the op as `xai inspect` numbers it
("op 0"), lists the tensor types and says what would run; never a crash
or a different answer. The combination must also be where `xai ops` puts
it: a type xai runs is listed in its catalog row. What TFLM runs and xai
refuses is printed as the gap table (and with --markdown written as
docs/ops-tflm.md); builtins TFLM registers but no template here exercises
are listed too.

  oracle_type_walk.py --xai XAI [--markdown PATH] [--only NAME,...]

Exit 77 when TFLM is not installed.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_tflm_ops import SKIP, mismatch, tflm_in_child, xai_run  # noqa: E402

try:
    import type_walk_models as W
except ImportError as e:
    print(f"skipping: the TFLite schema is not importable ({e})")
    sys.exit(SKIP)

NOT_REGISTERED = "Didn't find op for builtin opcode"
# TFLM's logical kernels read any input as bool without a type check: those
# "combinations" are not types TFLM supports, and xai refuses them.
UNCHECKED = {"LOGICAL_AND", "LOGICAL_OR"}


def hints(name):
    """oracle_tflm_ops.py input hints in the model name."""
    if name in ("DIV", "FLOOR_DIV", "FLOOR_MOD"):
        return "__nz__nzq"
    if name in ("LOG", "SQRT", "RSQRT"):
        return "__pos"
    if name == "POW":
        return "__pos"
    return ""


def tflm(path):
    """tflm_in_child with TFLM's log (its reasons) caught from fd 2:
    (run, error, log)."""
    saved = os.dup(2)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)
        try:
            run, err = tflm_in_child(path, 0)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        log.seek(0)
        text = log.read().decode(errors="replace")
    return run, err, text


def catalog(xai):
    """{op: types text} from `xai ops`."""
    p = subprocess.run([xai, "ops"], capture_output=True, text=True,
                       timeout=60)
    rows = {}
    for line in p.stdout.splitlines()[1:]:
        cols = re.split(r"\s{2,}", line.strip())
        if len(cols) >= 2:
            rows.setdefault(cols[0], cols[1])
    return rows


def listed(types, t):
    return types.startswith("any") or re.search(rf"\b{t}\b", types) is not None


def check_message(name, t, msg):
    """Problems with a refusal's message ('' when it is good)."""
    if "\n" in msg.strip():
        return "more than one line"
    if not msg.startswith(f"op 0 {name} ") and f"op 0 {name}" not in msg:
        return "does not name the op as `op 0 NAME`"
    if t not in msg.lower():
        return f"does not list the {t} tensors"
    if "xai ops" not in msg and "xai runs it" not in msg:
        return "does not say what would run"
    return ""


def xai_refusal(xai, path, workdir):
    """(returncode, full stderr) of `xai run` on zero inputs."""
    p = subprocess.run([xai, "run", path, "--quiet", "--output",
                        os.path.join(workdir, "o.bin")],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, (p.stderr or p.stdout).strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xai", required=True)
    ap.add_argument("--markdown")
    ap.add_argument("--only", help="comma-separated builtins")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    cat = catalog(args.xai)
    codes = W.builtin_codes()
    names = sorted(codes)
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    failures, gaps, exact, xai_only = [], [], [], []
    unexercised, registered, unchecked = [], set(), []
    with tempfile.TemporaryDirectory() as wd:
        for name in names:
            if name in ("CUSTOM", "DELEGATE", "PLACEHOLDER_FOR_GREATER_OP_CODES"):
                continue
            for t in W.TYPES:
                data = W.build(name, t)
                generic = data is None
                if generic:
                    if t != "float32":
                        break
                    data = W.build_generic(name, t)
                path = os.path.join(wd, f"{name.lower()}__{t}{hints(name)}.tflite")
                with open(path, "wb") as f:
                    f.write(data)
                run, err, log = tflm(path)
                if err and NOT_REGISTERED in log:
                    break  # TFLM does not register this builtin
                registered.add(name)
                if generic:
                    unexercised.append(name)
                    break
                if err:  # TFLM refuses this type: xai must not crash on it
                    rc, msg = xai_refusal(args.xai, path, wd)
                    if rc < 0 or rc >= 128:
                        failures.append(f"{name} {t}: xai crashed (exit {rc}) "
                                        "on a model TFLM refuses")
                    elif rc == 0:
                        xai_only.append((name, t))
                    continue
                inputs, expected = run
                got, xerr = xai_run(args.xai, path, inputs, wd)
                if xerr is None:
                    problem = mismatch(expected, got)
                    if problem:
                        failures.append(f"{name} {t}: differs from TFLM: {problem}")
                        continue
                    exact.append((name, t))
                    types = cat.get(name)
                    if types is None or not listed(types, t):
                        failures.append(f"{name} {t}: runs bit-exact but `xai "
                                        f"ops` lists {name} as {types!r}")
                    continue
                rc, msg = xai_refusal(args.xai, path, wd)
                if rc < 0 or rc >= 128:
                    failures.append(f"{name} {t}: xai crashed (exit {rc})")
                    continue
                if name in UNCHECKED and t != "bool":
                    unchecked.append((name, t))
                    continue
                bad = check_message(name, t, msg)
                if bad:
                    failures.append(f"{name} {t}: message {bad}: {msg}")
                gaps.append((name, t, msg.splitlines()[-1] if msg else ""))
                if args.verbose:
                    print(f"gap {name} {t}: {msg}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(registered)} builtins TFLM registers; {len(exact)} op/type "
          f"combinations TFLM runs match it bit for bit, {len(gaps)} are "
          f"refused with a one-line message (gaps), {len(unexercised)} "
          f"builtins have no template here; xai also runs {len(xai_only)} "
          f"combinations TFLM refuses; {len(unchecked)} TFLM runs without a "
          f"type check are refused; {len(failures)} failures")
    for name, t, _ in gaps:
        print(f"gap: {name} {t}")
    for name in unexercised:
        print(f"not exercised: {name}")
    if args.markdown:
        write_markdown(args.markdown, registered, exact, gaps, unexercised,
                       xai_only)
    return 1 if failures else 0


def write_markdown(path, registered, exact, gaps, unexercised, xai_only):
    by_op = {}
    for name, t in exact:
        by_op.setdefault(name, [[], []])[0].append(t)
    for name, t, _ in gaps:
        by_op.setdefault(name, [[], []])[1].append(t)
    with open(path, "w") as f:
        f.write("# TFLite Micro's builtins and types against xai\n\n"
                "Generated by `tests/oracle/oracle_type_walk.py --markdown` "
                "(the test `oracle_type_walk`): one single-op model per "
                "builtin and tensor type, run on TFLite Micro's interpreter; "
                "where TFLM runs it, xai must match it bit for bit or refuse "
                "it with a one-line message.\n\n"
                f"{len(registered)} builtins registered by TFLM; "
                f"{len(exact)} op/type combinations match TFLM, "
                f"{len(gaps)} are gaps (TFLM runs them, xai refuses), "
                f"{len(unexercised)} builtins are not exercised by a "
                "template.\n\n"
                "| op | bit-exact with TFLM | gaps (xai refuses) |\n"
                "|----|----|----|\n")
        for name in sorted(by_op):
            ok, gap = by_op[name]
            f.write(f"| {name} | {', '.join(ok)} | {', '.join(gap)} |\n")
        if unexercised:
            f.write("\nRegistered by TFLM, not exercised here: "
                    f"{', '.join(sorted(unexercised))}.\n")
        if xai_only:
            f.write("\nxai also runs (TFLM refuses): " +
                    ", ".join(f"{n} {t}" for n, t in xai_only) + ".\n")


if __name__ == "__main__":
    sys.exit(main())
