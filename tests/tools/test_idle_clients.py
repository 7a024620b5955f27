#!/usr/bin/env python3
"""Issue #12: no client can hold the device (docs/device.md section 3).
With real client processes against the emulator (--idle-timeout-ms 1000,
an SPI link slow enough that an upload lasts seconds):

- a client stopped with SIGSTOP mid-upload: a second client is served
  within the idle timeout (plus slack for a loaded machine) and told who
  held the device; the stopped one, resumed, exits with a one-line error
  saying it was dropped, not a hang;
- a client that keeps sending requests but never reads its replies: a
  second client is served within the bound and the holder is dropped;
- a client stopped while nobody waits keeps the device: resumed, it
  completes.

argv: BIN_DIR (the build's tools/), the demo model, a small model.
Also run as `test_idle_clients.py --non-reader SOCKET` (the raw client)."""
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_client  # noqa: E402

IDLE_S = 1.0
SLACK_S = 3.0  # a loaded 2-core machine, or ASan


def non_reader(path):
    """Waits its turn (HELLO until one is not BUSY), says "holding", then
    sends HELLO after HELLO without reading a reply."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    seq = 1
    while emu_client.request(s, emu_client.frame("HELLO", seq)) == 1:
        seq += 1
        time.sleep(0.02)
    print("holding", flush=True)
    try:
        while True:
            seq += 1
            s.sendall(emu_client.frame("HELLO", seq))
    except OSError:
        pass  # dropped by the device


if len(sys.argv) == 3 and sys.argv[1] == "--non-reader":
    non_reader(sys.argv[2])
    sys.exit(0)

bin_dir, demo, small = sys.argv[1], sys.argv[2], sys.argv[3]
tool = {n: os.path.join(bin_dir, n, n)
        for n in ("xai", "xai_device_emulator", "xmos_send_model")}
check = emu_client.check


def error_lines(text):
    """stderr without the note a client gets when it waited for another."""
    return [l for l in text.splitlines() if l.strip() and ": note: " not in l]


def served_within_bound(emu, holder_pid, what):
    """A second client loads a model on engine 1: it must succeed within
    the idle timeout (+ slack) and name the holder."""
    t0 = time.monotonic()
    r = subprocess.run([tool["xmos_send_model"], small, "--engine", "1",
                        "--device", emu.device],
                       capture_output=True, text=True, timeout=60)
    waited = time.monotonic() - t0
    check(r.returncode == 0, f"{what}: waiter exited {r.returncode}: "
          f"{r.stderr}")
    check(waited < IDLE_S + SLACK_S,
          f"{what}: waiter took {waited:.2f} s, bound {IDLE_S} s")
    check(f"note: device was held by client #" in r.stderr and
          f"(pid {holder_pid})" in r.stderr and "served after" in r.stderr,
          f"{what}: waiter not told who held the device: {r.stderr!r}")
    print(f"{what}: waiter served after {waited:.2f} s: "
          f"{r.stderr.strip()}")


with tempfile.TemporaryDirectory(prefix="xai-idle-") as tmp:
    emu = emu_client.Emulator(
        tool["xai_device_emulator"], tmp,
        opts=["--idle-timeout-ms", str(int(IDLE_S * 1000)), "--link", "spi",
              "--spi-khz", "200"])
    try:
        # 1. A client stopped mid-upload.
        holder = subprocess.Popen([tool["xmos_send_model"], demo, "--device",
                                   emu.device], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        if not emu_client.wait_until_held(tool["xai"], emu, holder):
            check(False, "the uploading client never held the device: "
                  f"{holder.communicate()}")
            sys.exit(1)
        os.kill(holder.pid, 19)  # SIGSTOP
        served_within_bound(emu, holder.pid, "stopped client")
        os.kill(holder.pid, 18)  # SIGCONT
        try:
            out, err = holder.communicate(timeout=20)
            lines = error_lines(err)
            check(holder.returncode == 1,
                  f"resumed client exited {holder.returncode}")
            check(len(lines) == 1 and "dropped this connection" in err and
                  "sent nothing for" in err,
                  f"resumed client's error: {err!r}")
            print(f"resumed client: {err.strip()}")
        except subprocess.TimeoutExpired:
            holder.kill()
            check(False, "the resumed client hung")
        check("dropped client #" in emu.text(), "emulator log has no drop")

        # 2. A client that does not read its replies.
        nr = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                               "--non-reader", emu.socket],
                              stdout=subprocess.PIPE, text=True)
        check(nr.stdout.readline().strip() == "holding",
              "the non-reading client never held the device")
        served_within_bound(emu, nr.pid, "non-reading client")
        try:
            nr.wait(timeout=20)
        except subprocess.TimeoutExpired:
            nr.kill()
            nr.wait()
            check(False, "the non-reading client was never disconnected")
        check("did not read its replies" in emu.text(),
              f"emulator log: {emu.text()!r}")

        # 3. Idle with nobody waiting: the device stays with it.
        alone = subprocess.Popen([tool["xmos_send_model"], demo, "--device",
                                  emu.device], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        os.kill(alone.pid, 19)
        time.sleep(2 * IDLE_S)
        os.kill(alone.pid, 18)
        out, err = alone.communicate(timeout=60)
        check(alone.returncode == 0,
              f"a lone idle client was dropped: {err!r}")
    finally:
        emu.stop()

sys.exit(emu_client.exit_code())
