#!/usr/bin/env python3
"""The emulated link takes the board's time and the progress bar shows it
on a terminal only:

- an emulator paced as SPI at 200 kHz (25 KB/s) takes the demo model
  (~48 KB) in about two seconds: xmos_send_model with stderr on a
  pseudo-terminal draws the bar with percentage, MB/s and ETA;
- the same with stderr piped prints no bar;
- an --instant emulator loads it too (what the other tests use).

argv: BIN_DIR (the build's tools/), the demo model."""
import os
import pty
import subprocess
import sys
import tempfile

bin_dir, demo = sys.argv[1], sys.argv[2]
xai = os.path.join(bin_dir, "xai", "xai")
send = os.path.join(bin_dir, "xmos_send_model", "xmos_send_model")
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


with tempfile.TemporaryDirectory(prefix="xai-link-") as tmp:
    slow = os.path.join(tmp, "spi.sock")
    fast = os.path.join(tmp, "instant.sock")
    subprocess.run([xai, "device", "start", "--socket", slow, "--link", "spi",
                    "--spi-khz", "200"], check=True, capture_output=True)
    subprocess.run([xai, "device", "start", "--socket", fast, "--instant"],
                   check=True, capture_output=True)
    try:
        # stderr on a pseudo-terminal: the bar.
        master, slave = pty.openpty()
        p = subprocess.Popen([send, demo, "--device", "emu:" + slow],
                             stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO once the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        rc = p.wait(timeout=120)
        os.close(master)
        text = seen.decode("utf-8", "replace")
        check(rc == 0, f"xmos_send_model on the SPI emulator exited {rc}: "
              f"{text}")
        check("Sending model [" in text and "%" in text and "MB/s" in text
              and "ETA 0:0" in text, f"no progress bar on the terminal: "
              f"{text!r}")
        check("100%" in text, f"the bar never reached 100%: {text!r}")

        # Piped: silent.
        r = subprocess.run([send, demo, "--device", "emu:" + slow],
                           capture_output=True, text=True, timeout=120)
        check(r.returncode == 0 and "MB/s" not in r.stderr and
              "[" not in r.stderr, f"piped stderr not quiet: {r.stderr!r}")

        r = subprocess.run([send, demo, "--device", "emu:" + fast],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"--instant emulator: {r.stderr}")
    finally:
        for s in (slow, fast):
            subprocess.run([xai, "device", "stop", "--socket", s],
                           capture_output=True, timeout=30)

print("FAILED" if failures else "OK")
sys.exit(1 if failures else 0)
