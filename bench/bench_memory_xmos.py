"""Prints what XMOS's compiler gives for a model: `arena N`, `model N`, and
with --split also `params N`.

Used by bench_memory_plan to measure against xcore-opt (PyPI xmos-ai-tools,
installed by scripts/setup.sh into build/venv-xmos) in the same run:
    bench_memory_xmos.py MODEL THREADS [--split]
--split writes the weights into a params file at 100 B, as
--xcore-weights-file with --xcore-load-externally-if-larger=100. The arena
is the figure xcore-opt prints ("Tensor arena size"), which leaves TFLite
Micro's bookkeeping out. Nothing is printed when xcore-opt is missing or
fails on the model."""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def xcore_opt():
    here = os.path.join(os.path.dirname(sys.executable), "xcore-opt")
    return here if os.path.exists(here) else shutil.which("xcore-opt")


def main(argv):
    path, threads = argv[0], int(argv[1])
    split = "--split" in argv[2:]
    tool = xcore_opt()
    if not tool:
        return 1
    with tempfile.TemporaryDirectory(prefix="xai-xmos-") as tmp:
        out = os.path.join(tmp, "model.tflite")
        params = os.path.join(tmp, "model.params")
        cmd = [tool, "-o", out, "--xcore-thread-count=%d" % threads]
        if split:
            cmd += ["--xcore-weights-file=" + params,
                    "--xcore-load-externally-if-larger=100"]
        try:
            run = subprocess.run(cmd + [path], capture_output=True, text=True,
                                 timeout=600)
        except (OSError, subprocess.TimeoutExpired):
            return 1
        m = re.search(r"Tensor arena size\s*:\s*(\d+)", run.stdout)
        if run.returncode != 0 or not m or not os.path.exists(out):
            return 1
        print("arena", m.group(1))
        print("model", os.path.getsize(out))
        if split:
            size = os.path.getsize(params) if os.path.exists(params) else 0
            print("params", size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
