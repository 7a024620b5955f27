#!/usr/bin/env python3
"""Issue #12 soak: N inferences (5,000 in CI) against the emulator through
the host library (the xmos_ai_ie bindings), in sessions of 1..20, while
other client processes are started, SIGKILLed, SIGSTOPped (and resumed)
and fed garbage at random (deterministic seed for the choices): raw
clients that hold the device with a half-sent SET_MODEL or SET_INPUT,
clients that send random bytes, and real `xmos_send_model` processes
reloading the model. Every completed inference must equal the host's run
of its input (`xai run`); a session may only fail with the device's
one-line drop notice or BUSY (never wrong outputs, a hang or a crash). The
emulator's resident memory is sampled after a warm-up and at the end and
must not grow by more than BOUND KiB.

argv: BIN_DIR LIB MODEL [--inferences N] [--seed S] [--rss-bound-kib K]
Also run as `test_soak.py --garbage|--holder SOCKET SEED MODEL` (the
disruptors)."""
import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_client  # noqa: E402

IDLE_MS = 500


def garbage(path, seed):
    """Random bytes, now and then a frame magic, for up to 3 s."""
    rng = random.Random(seed)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.setblocking(False)
    end = time.monotonic() + 3
    while time.monotonic() < end:
        chunk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        if rng.random() < 0.3:
            chunk = b"XAIP\x01" + chunk
        try:
            s.send(chunk)
            s.recv(65536)
        except BlockingIOError:
            pass
        except OSError:
            return
        time.sleep(rng.random() * 0.01)


def holder(path, seed, model):
    """Waits its turn, then leaves a transfer half done and sits on it
    (until the harness kills, stops or leaves it; the device drops it
    when it idles while another waits)."""
    rng = random.Random(seed)
    data = open(model, "rb").read()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    seq = 1
    try:
        while emu_client.request(s, emu_client.frame("HELLO", seq)) == 1:
            seq += 1
            time.sleep(0.02)
        seq += 1
        if rng.random() < 0.5:  # a SET_MODEL of a few chunks
            total = len(data)
            for off in range(0, min(total, 4096 * rng.randrange(1, 4)), 4096):
                part = data[off:off + 4096]
                flags = emu_client.FIRST if off == 0 else 0
                if off + len(part) == total:
                    flags |= emu_client.LAST
                emu_client.request(s, emu_client.frame(
                    "SET_MODEL", seq, part, offset=off, total=total,
                    flags=flags))
                seq += 1
        else:  # half an input
            emu_client.request(s, emu_client.frame(
                "SET_INPUT", seq, bytes(100), total=3072,
                flags=emu_client.FIRST))
        time.sleep(rng.random() * 2)
    except OSError:
        pass


if len(sys.argv) >= 4 and sys.argv[1] in ("--garbage", "--holder"):
    if sys.argv[1] == "--garbage":
        garbage(sys.argv[2], int(sys.argv[3]))
    else:
        holder(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    sys.exit(0)

ap = argparse.ArgumentParser()
ap.add_argument("bin_dir")
ap.add_argument("lib")
ap.add_argument("model")
ap.add_argument("--inferences", type=int, default=5000)
ap.add_argument("--seed", type=int, default=12)
ap.add_argument("--rss-bound-kib", type=int, default=1024)
ap.add_argument("--max-seconds", type=float, default=240)
a = ap.parse_args()

os.environ["XAI_HOST_PY_LIB"] = a.lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "python"))
import xmos_ai_ie  # noqa: E402

tool = {n: os.path.join(a.bin_dir, n, n)
        for n in ("xai", "xai_device_emulator", "xmos_send_model")}
check = emu_client.check


class Chaos:
    """Disruptor processes started, killed, stopped and resumed at random
    from a seeded generator, until stopped."""

    def __init__(self, emu, seed, model):
        self.emu, self.model = emu, model
        self.rng = random.Random(seed)
        self.live, self.stopped = [], set()
        self.counts = {}
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def spawn(self, kind):
        me = os.path.abspath(__file__)
        seed = self.rng.randrange(1 << 30)
        if kind == "tool":
            args = [tool["xmos_send_model"], self.model, "--device",
                    self.emu.device]
        else:
            args = [sys.executable, me, "--" + kind, self.emu.socket,
                    str(seed), self.model]
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        self.live.append(p)

    def act(self):
        self.live = [p for p in self.live if p.poll() is None]
        self.stopped &= {p.pid for p in self.live}
        choice = self.rng.choice(["garbage", "holder", "tool", "kill", "kill",
                                  "stop", "cont"])
        self.counts[choice] = self.counts.get(choice, 0) + 1
        if choice in ("garbage", "holder", "tool"):
            if len(self.live) < 6:
                self.spawn(choice)
        elif self.live:
            p = self.rng.choice(self.live)
            if choice == "kill":
                p.kill()
            elif choice == "stop" and len(self.stopped) < 2:
                os.kill(p.pid, signal.SIGSTOP)
                self.stopped.add(p.pid)
            elif choice == "cont" and p.pid in self.stopped:
                os.kill(p.pid, signal.SIGCONT)
                self.stopped.discard(p.pid)

    def loop(self):
        while not self.halt.is_set():
            self.act()
            self.halt.wait(0.02 + self.rng.random() * 0.06)

    def stop(self):
        self.halt.set()
        self.thread.join()
        for p in self.live:
            if p.poll() is None:
                p.kill()
            p.wait()


with tempfile.TemporaryDirectory(prefix="xai-soak-") as tmp:
    rng = random.Random(a.seed)
    # Inputs and the host's outputs for them.
    inputs, want = [], []
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") +
                           ":quarantine_size_mb=0:detect_leaks=0").lstrip(":")
    emu = emu_client.Emulator(tool["xai_device_emulator"], tmp, env=env,
                              opts=["--instant", "--idle-timeout-ms",
                                    str(IDLE_MS)])
    try:
        ie = xmos_ai_ie.xcore_ai_ie_emulator(socket=emu.socket,
                                             timeout_ms=20000)
        ie.connect()
        ie.download_model_file(a.model)
        nbytes = ie.input_size
        ie.close()
        for k in range(32):
            x = bytes(rng.randrange(256) for _ in range(nbytes))
            fin, fout = os.path.join(tmp, "in.bin"), os.path.join(tmp, "o.bin")
            open(fin, "wb").write(x)
            subprocess.run([tool["xai"], "run", a.model, "--input", fin,
                            "--output", fout, "--quiet"], check=True)
            inputs.append(x)
            want.append(open(fout, "rb").read())

        chaos = Chaos(emu, a.seed + 1, a.model)
        chaos.thread.start()
        done = wrong = 0
        errors = {}
        rss0 = None
        t0 = time.monotonic()
        while done < a.inferences and time.monotonic() - t0 < a.max_seconds:
            if rss0 is None and done >= min(300, a.inferences // 4):
                rss0 = emu.rss_kib()
            batch = rng.randrange(1, 21)
            try:
                with xmos_ai_ie.xcore_ai_ie_emulator(
                        socket=emu.socket, timeout_ms=20000) as dev:
                    dev.read_spec()
                    for _ in range(batch):
                        k = rng.randrange(len(inputs))
                        dev.write_input_tensor(inputs[k])
                        dev.start_inference()
                        got = dev.read_output_bytes()
                        done += 1
                        if got != want[k]:
                            wrong += 1
            except xmos_ai_ie.XaiDeviceError as e:
                msg = str(e)
                key = ("dropped" if "dropped this connection" in msg else
                       "busy" if "BUSY" in msg else msg)
                errors[key] = errors.get(key, 0) + 1
                check("\n" not in msg.strip(), f"error is not one line: {msg!r}")
        chaos.stop()
        elapsed = time.monotonic() - t0
        rss1 = emu.rss_kib()
        alive = emu.proc.poll() is None
        drops = emu.text().count("dropped client")
    finally:
        emu.stop()

    print(f"{done} inferences in {elapsed:.1f} s, {wrong} wrong; session "
          f"errors {errors}; disruptor actions {chaos.counts}; emulator "
          f"dropped {drops} clients; RSS {rss0} -> {rss1} KiB")
    check(done >= a.inferences, f"only {done} of {a.inferences} inferences "
          f"in {a.max_seconds} s")
    check(wrong == 0, f"{wrong} inferences differ from the host run")
    check(alive, "the emulator died")
    unexpected = {k: v for k, v in errors.items()
                  if k not in ("dropped", "busy")}
    check(not unexpected, f"unexpected session errors: {unexpected}")
    check(rss0 is not None and rss1 - rss0 <= a.rss_bound_kib,
          f"emulator RSS grew {rss0} -> {rss1} KiB (bound "
          f"{a.rss_bound_kib} KiB)")

sys.exit(emu_client.exit_code())
