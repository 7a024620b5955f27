"""Helpers for tests that drive xai_device_emulator with real client
processes: start/stop an emulator on a private socket, encode protocol
frames (docs/protocol.md section 1) for raw clients, wait until some
client holds the device, and count failed checks."""
import os
import struct
import subprocess
import time
import zlib

MAGIC = b"XAIP"
VERSION = 1
CMD = {"NONE": 0, "HELLO": 1, "SET_MODEL": 2, "GET_SPEC": 3, "SET_INPUT": 4,
       "INVOKE": 5, "GET_OUTPUT": 6, "FLASH_READ": 10}
FIRST, LAST = 0x1, 0x2

failures = 0


def check(cond, what):
    """Counts and prints a failed check; returns cond."""
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")
    return cond


def exit_code():
    return 1 if failures else 0


def frame(command, seq, payload=b"", engine=0, tensor=0, arg=0, offset=0,
          total=None, flags=FIRST | LAST):
    """One request frame: header, its CRC, payload, frame CRC."""
    if total is None:
        total = offset + len(payload)
    head = struct.pack("<4sBBBBHHIIIII", MAGIC, VERSION, CMD.get(command, command),
                       0, engine, flags, tensor, seq, arg, offset, total,
                       len(payload))
    head += struct.pack("<I", zlib.crc32(head))
    body = head + payload
    return body + struct.pack("<I", zlib.crc32(body))


def read_reply(sock):
    """The next reply frame from a raw socket: (header fields, payload), or
    None when the socket closed."""
    def take(n):
        b = b""
        while len(b) < n:
            got = sock.recv(n - len(b))
            if not got:
                return None
            b += got
        return b
    head = take(36)
    if head is None:
        return None
    f = struct.unpack("<4sBBBBHHIIIII", head[:32])
    rest = take(f[11] + 4)
    if rest is None:
        return None
    return {"command": f[2], "status": f[3], "seq": f[7],
            "length": f[11]}, rest[:-4]


def request(sock, data):
    """Sends one single-frame request; returns the reply's status (-1 when
    the socket closed)."""
    sock.sendall(data)
    r = read_reply(sock)
    return -1 if r is None else r[0]["status"]


class Emulator:
    """xai_device_emulator --foreground on DIR/NAME.sock; its output goes to
    DIR/NAME.log."""

    def __init__(self, exe, directory, name="dev", opts=(), env=None):
        self.socket = os.path.join(directory, name + ".sock")
        self.device = "emu:" + self.socket
        self.log_path = os.path.join(directory, name + ".log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [exe, "--socket", self.socket, "--foreground", *opts],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 10
        while "listening on" not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"emulator did not start: {self.text()}")
            time.sleep(0.01)

    def text(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def held(xai, emu):
    """True when `xai device status` says another client holds the device."""
    r = subprocess.run([xai, "device", "status", "--socket", emu.socket],
                       capture_output=True, text=True, timeout=30)
    return "busy" in r.stdout


def wait_until_held(xai, emu, proc, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if held(xai, emu):
            return True
        time.sleep(0.02)
    return False
