#!/usr/bin/env python3
"""Multi-tile models from the command line (docs/multitile.md), on
emulators on private sockets. The layer pipeline (mode b):

- `xformer --xcore-tiles 2 --xcore-pipeline` writes OUT.stage0/1.tflite
  and prints the stages; `xmos_send_model OUT.stage*.tflite` loads stage k
  on engine k; `xmos_infer --pipeline 2` streams 4 inputs through them and
  every output is `xai run` of the original model on the host (reference
  kernels), byte for byte; it prints throughput, latency and per-stage
  times, and the throughput beats the stages' compute in turn;
- the same with --xcore-chips 2: 4 stages on a 2-chip emulator;
- Python: xmos_ai_ie's download_pipeline / run_pipeline give the same
  bytes and the stats (when the host library for Python is given);
- refusals, one line and a non-zero exit: --xcore-pipeline on one tile or
  with a params file, stages loaded out of order, a stream that is not a
  whole number of inputs.
The channel split (mode c) with a params file, in flash and in SRAM:
`xformer --xcore-tiles 2 --xcore-tile-split -params P`, `xmos_send_model
OUT --params P`, `xmos_infer`: the output is `xai run` of the original
model's, and `xmos_timings` puts the halves' link bytes on tile 1.

Each emulator is stopped with SIGTERM and a bounded wait (SIGKILL after
10 s); nothing depends on timing. argv: BIN_DIR (the build's tools/), a
model (the demo classifier), optionally libxai_host_py.so and the
source tree's python/ directory."""
import os
import random
import re
import subprocess
import sys
import tempfile
import time

bin_dir, model = sys.argv[1], sys.argv[2]
host_py = sys.argv[3] if len(sys.argv) > 4 else None
if host_py:
    os.environ["XAI_HOST_PY_LIB"] = host_py
    sys.path.insert(0, sys.argv[4])
tool = {n: os.path.join(bin_dir, n, n) for n in
        ("xformer", "xmos_send_model", "xmos_infer", "xai",
         "xai_device_emulator")}
failures = 0
# The tools run without the ASan preload the Python process may need.
child_env = {k: v for k, v in os.environ.items()
             if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def run(args, ok=True):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120,
                       env=child_env)
    if ok and r.returncode != 0:
        check(False, f"{' '.join(args)} exited {r.returncode}: {r.stderr}")
    if not ok:
        check(r.returncode not in (0, None) and r.returncode > 0,
              f"{' '.join(args)} exited {r.returncode}; expected a refusal")
        lines = r.stderr.strip().splitlines()
        check(len(lines) == 1, f"refusal is not one line: {r.stderr!r}")
    return r


class Emulator:
    def __init__(self, tmp, name, *opts):
        self.sock = os.path.join(tmp, name + ".sock")
        self.proc = subprocess.Popen(
            [tool["xai_device_emulator"], "--socket", self.sock,
             "--foreground", "--instant", "--lpddr-mib", "0", *opts],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=child_env)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.sock) and time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        check(os.path.exists(self.sock), f"emulator {name} did not start")
        self.device = "emu:" + self.sock

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                check(False, "the emulator ignored SIGTERM for 10 s")
                self.proc.kill()
                self.proc.wait(timeout=10)


def pipeline(tmp, name, stages, xformer_opts, emu_opts, inputs=4):
    out = os.path.join(tmp, name + ".tflite")
    r = run([tool["xformer"], model, "-o", out, *xformer_opts,
             "--xcore-pipeline"])
    files = [os.path.join(tmp, f"{name}.stage{k}.tflite")
             for k in range(stages)]
    check(all(os.path.exists(f) for f in files), f"{name}: stage files")
    check(f"Layer pipeline: {stages} stages" in r.stdout, r.stdout)
    check(not os.path.exists(out), f"{name}: {out} written beside stages")
    emu = Emulator(tmp, name, *emu_opts)
    try:
        r = run([tool["xmos_send_model"], *files, "--device", emu.device])
        sizes = [int(x) for x in re.findall(r"input_size: (\d+)", r.stdout)]
        check(len(sizes) == stages, f"{name}: send_model output:\n{r.stdout}")
        if len(sizes) != stages:
            return
        rng = random.Random(stages)
        data = [bytes(rng.randrange(256) for _ in range(sizes[0]))
                for _ in range(inputs)]
        stream = os.path.join(tmp, name + ".stream")
        with open(stream, "wb") as f:
            f.write(b"".join(data))
        got = os.path.join(tmp, name + ".out")
        r = run([tool["xmos_infer"], "--pipeline", str(stages), "--input",
                 stream, "--output", got, "--device", emu.device])
        print(r.stdout, end="")
        want = b""
        for k, d in enumerate(data):
            i = os.path.join(tmp, f"{name}.in{k}")
            o = os.path.join(tmp, f"{name}.ref{k}")
            with open(i, "wb") as f:
                f.write(d)
            run([tool["xai"], "run", model, "--input", i, "--output", o])
            with open(o, "rb") as f:
                want += f.read()
        with open(got, "rb") as f:
            check(f.read() == want, f"{name}: outputs differ from xai run")
        m = re.search(r"Throughput: (\d+) inferences/s", r.stdout)
        one = re.search(r"one input at a time: about [\d.]+ ms \((\d+)/s\)",
                        r.stdout)
        check(m and one and int(m.group(1)) > int(one.group(1)),
              f"{name}: throughput not above one tile:\n{r.stdout}")
        for k in range(stages):
            check(f"stage {k} (engine {k}): compute" in r.stdout,
                  f"{name}: stage {k} time")
        check(f"for {inputs} inferences" in r.stdout, r.stdout)
        if host_py:
            import xmos_ai_ie
            with xmos_ai_ie.xcore_ai_ie(device=emu.device) as ie:
                ie.download_pipeline(files)
                outs, stats = ie.run_pipeline(data, stages)
            check(b"".join(outs) == want, f"{name}: Python outputs differ")
            check(len(stats["stages"]) == stages and stats["per_s"] > 0 and
                  stats["latency_ms"] > stats["step_ms"], f"{stats}")

        # Refusals on this device.
        bad = os.path.join(tmp, name + ".bad")
        with open(bad, "wb") as f:
            f.write(b"".join(data)[:-1])
        r = run([tool["xmos_infer"], "--pipeline", str(stages), "--input",
                 bad, "--output", got, "--device", emu.device], ok=False)
        check("multiple" in r.stderr, r.stderr)
        run([tool["xmos_send_model"], files[1], files[0], "--device",
             emu.device])
        r = run([tool["xmos_infer"], "--pipeline", "2", "--input", stream,
                 "--output", got, "--device", emu.device], ok=False)
        check("do not hold one pipeline's stages in order" in r.stderr,
              r.stderr)
    finally:
        emu.stop()


def split_with_params(tmp, memory):
    out = os.path.join(tmp, "split_" + memory + ".tflite")
    params = out + ".params"
    r = run([tool["xformer"], model, "-o", out, "--xcore-tiles", "2",
             "--xcore-tile-split", "--xcore-memory", memory, "-params",
             params, "--xcore-load-externally-if-larger", "16"])
    check("on tile 1 at the same time" in r.stdout, f"no split:\n{r.stdout}")
    emu = Emulator(tmp, "split_" + memory)
    try:
        r = run([tool["xmos_send_model"], out, "--params", params,
                 "--device", emu.device])
        m = re.search(r"input_size: (\d+)", r.stdout)
        check(m, r.stdout)
        if not m:
            return
        rng = random.Random(7)
        i = os.path.join(tmp, "split.in")
        with open(i, "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(int(m.group(1)))))
        got, want = out + ".out", out + ".ref"
        run([tool["xmos_infer"], "--input", i, "--output", got, "--device",
             emu.device])
        run([tool["xai"], "run", model, "--input", i, "--output", want])
        with open(got, "rb") as f, open(want, "rb") as g:
            check(f.read() == g.read(), f"split, params in {memory}: output "
                  "differs from xai run")
        r = run([os.path.join(bin_dir, "xmos_timings", "xmos_timings"),
                 "--device", emu.device])
        m = re.search(r"tile 1: compute [\d.]+ ms, sent (\d+) bytes", r.stdout)
        check(m and int(m.group(1)) > 0, f"no link on tile 1:\n{r.stdout}")
        print(f"split, params in {memory}: " + r.stdout.strip().splitlines()[-1])
    finally:
        emu.stop()


with tempfile.TemporaryDirectory(prefix="xai-pipe-") as tmp:
    split_with_params(tmp, "flash")
    split_with_params(tmp, "internal")
    pipeline(tmp, "two", 2, ["--xcore-tiles", "2"], [])
    pipeline(tmp, "four", 4, ["--xcore-chips", "2"], ["--chips", "2"])
    out = os.path.join(tmp, "one.tflite")
    r = run([tool["xformer"], model, "-o", out, "--xcore-pipeline"], ok=False)
    check("--xcore-tiles 2 or more" in r.stderr, r.stderr)
    r = run([tool["xformer"], model, "-o", out, "--xcore-pipeline",
             "--xcore-tiles", "2", "-params", out + ".params"], ok=False)
    check("does not take --xcore-flash-image-file" in r.stderr, r.stderr)

print("test_multitile_cli: " + ("FAIL" if failures else "OK"))
sys.exit(1 if failures else 0)
