#!/usr/bin/env python3
"""Issue #12, atomic flash updates with a real writer process: flash holds
version A of a model (weights split into a params file, both in flash);
a writer process programs version B - the same graph with other weights -
and is killed with SIGKILL part-way, at cut points spread over its whole
transfer. The writers are `xmos_flash B.img` and `xmos_send_model B.tflite
--params B.params --memory flash`, alternately. Each connects through a
proxy that forwards its bytes to the emulator, counts them, and kills the
writer when the count reaches the cut (so the cut is exact, whatever the
machine's load); the device sees the link drop there.

After each cut a fresh client loads flash entry 0 (xmos_send_model
--flash-entry 0) and runs one inference (xmos_infer): the outputs must
equal the host's run of A (`xai run A.tflite --params A.params`), or of B
once the writer's last FLASH_WRITE chunk reached the device; every fourth
cut the emulator is also restarted on its flash file (a power cycle) and
checked again. A device that never held a complete image answers "flash
holds no complete image" after a cut write.

argv: BIN_DIR (the build's tools/), a model (int8, with weights)."""
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emu_client  # noqa: E402

bin_dir, model = sys.argv[1], sys.argv[2]
tool = {n: os.path.join(bin_dir, n, n)
        for n in ("xai", "xai_device_emulator", "xformer", "xmos_flash",
                  "xmos_send_model", "xmos_infer", "build_flash_file")}
CUTS_PER_WRITER = 12
FLASH_WRITE = 9
check = emu_client.check


def run(args, ok=True):
    r = subprocess.run(args, capture_output=True, timeout=120)
    if ok and r.returncode != 0:
        check(False, f"{' '.join(args)} exited {r.returncode}: "
              f"{r.stderr.decode(errors='replace')}")
    return r


def other_weights(src, dst):
    """The same graph with its largest constant buffer negated."""
    from ai_edge_litert import schema_py_generated as schema
    data = bytearray(open(src, "rb").read())
    m = schema.Model.GetRootAsModel(data, 0)
    best = (0, 0)
    for i in range(m.BuffersLength()):
        b = m.Buffers(i)
        n = b.DataLength()
        if n > best[1]:
            start = b._tab.Vector(b._tab.Offset(4))
            best = (start, n)
    start, n = best
    for k in range(start, start + n):
        v = data[k] - 256 if data[k] > 127 else data[k]
        if v != -128:
            data[k] = (-v) & 0xFF
    open(dst, "wb").write(data)


class KillingProxy:
    """Listens on `path`; the one client's bytes go to the emulator until
    `cut` bytes have passed, then the writer process is SIGKILLed and both
    links closed. Records whether the last FLASH_WRITE chunk got through
    whole (the device then commits the new image)."""

    def __init__(self, path, emu_socket, cut):
        self.path, self.emu_socket, self.cut = path, emu_socket, cut
        self.sent = 0
        self.last_write_done = False
        self.writer = None
        self.lsock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.lsock.bind(path)
        self.lsock.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.lsock.settimeout(60)
        try:
            c, _ = self.lsock.accept()
        except OSError:
            return
        d = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        d.connect(self.emu_socket)
        frames = FrameWatch()
        links = [c, d]
        while links:
            r, _, _ = select.select(links, [], [], 60)
            if not r:
                break
            done = False
            for s in r:
                data = s.recv(65536)
                if not data:
                    done = True
                    break
                if s is c:
                    room = self.cut - self.sent
                    part = data[:room] if room < len(data) else data
                    d.sendall(part)
                    self.sent += len(part)
                    if frames.feed(part):
                        self.last_write_done = True
                    if self.sent >= self.cut:
                        while self.writer is None:
                            pass
                        os.kill(self.writer.pid, signal.SIGKILL)
                        done = True
                        break
                else:
                    c.sendall(data)
            if done:
                break
        c.close()
        d.close()
        self.lsock.close()


class FrameWatch:
    """Follows the request frames on a byte stream: feed() returns True
    when a FLASH_WRITE frame with the LAST flag has passed whole."""

    def __init__(self):
        self.buf = b""

    def feed(self, data):
        self.buf += data
        last = False
        while len(self.buf) >= 36:
            cmd = self.buf[5]
            flags = struct.unpack_from("<H", self.buf, 8)[0]
            length = struct.unpack_from("<I", self.buf, 28)[0]
            size = 36 + length + 4
            if len(self.buf) < size:
                break
            if cmd == FLASH_WRITE and flags & emu_client.LAST:
                last = True
            self.buf = self.buf[size:]
        return last


with tempfile.TemporaryDirectory(prefix="xai-fkill-") as tmp:
    P = lambda name: os.path.join(tmp, name)  # noqa: E731
    other_weights(model, P("b_src.tflite"))
    for v, src in (("a", model), ("b", P("b_src.tflite"))):
        run([tool["xformer"], src, "-o", P(v + ".tflite"), "--quiet",
             "--xcore-flash-image-file", P(v + ".params"),
             "--xcore-load-externally-if-larger", "64"])
        run([tool["build_flash_file"], "-o", P(v + ".img"), P(v + ".tflite"),
             P(v + ".params")])
    info = json.loads(run([tool["xai"], "inspect", P("a.tflite"),
                           "--json"]).stdout)
    size = 0
    for t in info["inputs"]:
        n = {"INT8": 1, "UINT8": 1, "INT16": 2, "INT32": 4,
             "FLOAT32": 4}[t["dtype"]]
        for d in t["shape"]:
            n *= d
        size += n
    inp = P("in.bin")
    with open(inp, "wb") as f:
        f.write(bytes((i * 37 + 11) & 0xFF for i in range(size)))
    host = {}
    for v in ("a", "b"):
        run([tool["xai"], "run", P(v + ".tflite"), "--params", P(v + ".params"),
             "--input", inp, "--output", P("host_" + v + ".bin"), "--quiet"])
        host[v] = open(P("host_" + v + ".bin"), "rb").read()
    check(host["a"] != host["b"], "A and B give the same outputs; the test "
          "could not tell them apart")

    flash = P("flash.bin")
    state = {"emu": None}

    def start_emulator(flash_file):
        if state["emu"]:
            state["emu"].stop()
        state["emu"] = emu_client.Emulator(
            tool["xai_device_emulator"], tmp, name="dev",
            opts=["--instant", "--flash", flash_file, "--flash-mib", "2"])
        return state["emu"]

    def load_and_infer(emu, what):
        """'a', 'b', 'none' (no complete image) or a failure message."""
        r = run([tool["xmos_send_model"], "--flash-entry", "0", "--device",
                 emu.device], ok=False)
        err = r.stderr.decode(errors="replace")
        if r.returncode != 0:
            return "none" if "flash holds no complete image" in err else err
        out = P("dev_out.bin")
        r = run([tool["xmos_infer"], "--input", inp, "--output", out,
                 "--device", emu.device], ok=False)
        if r.returncode != 0:
            return r.stderr.decode(errors="replace")
        got = open(out, "rb").read()
        return next((v for v in host if host[v] == got), "wrong outputs")

    def writer_args(kind, device):
        if kind == "xmos_flash":
            return [tool["xmos_flash"], P("b.img"), "--device", device]
        return [tool["xmos_send_model"], P("b.tflite"), "--params",
                P("b.params"), "--memory", "flash", "--device", device]

    def cut_write(emu, kind, cut):
        """Runs the writer through a proxy that kills it after `cut`
        bytes; returns (bytes sent, last FLASH_WRITE chunk got through)."""
        path = P("proxy.sock")
        if os.path.exists(path):
            os.unlink(path)
        proxy = KillingProxy(path, emu.socket, cut)
        w = subprocess.Popen(writer_args(kind, "emu:" + path),
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        proxy.writer = w
        w.wait(timeout=120)
        proxy.thread.join(timeout=60)
        return proxy.sent, proxy.last_write_done, w.returncode

    # How many bytes each writer sends when it runs to the end (on a
    # scratch device holding A).
    totals = {}
    for kind in ("xmos_flash", "xmos_send_model"):
        emu = start_emulator(P("scratch.bin"))
        run([tool["xmos_flash"], P("a.img"), "--device", emu.device])
        sent, last, rc = cut_write(emu, kind, 1 << 40)
        check(rc == 0 and last, f"{kind} did not complete uncut (exit {rc})")
        totals[kind] = sent
        os.unlink(P("scratch.bin"))
    print("writer bytes:", totals)

    # A fresh device: a cut first write leaves no image at all.
    emu = start_emulator(flash)
    for frac in (0.1, 0.6):
        cut_write(emu, "xmos_flash", int(totals["xmos_flash"] * frac))
        got = load_and_infer(emu, "fresh")
        check(got == "none", f"fresh device after a cut at {frac:.0%}: {got}")

    # A complete, then cuts of the update to B.
    run([tool["xmos_flash"], P("a.img"), "--device", emu.device])
    check(load_and_infer(emu, "A") == "a", "A does not load after writing it")
    results = []
    n = 0
    # Spread over the transfer, plus the very end: inside the last chunk
    # and after it (xmos_send_model then still loads the entry).
    points = [(k + 0.5) / CUTS_PER_WRITER for k in range(CUTS_PER_WRITER)]
    for k in range(len(points) + 2):
        for kind in ("xmos_flash", "xmos_send_model"):
            cut = (int(totals[kind] * points[k]) if k < len(points)
                   else totals[kind] - (60 if k == len(points) else 1))
            sent, committed, rc = cut_write(emu, kind, cut)
            want = "b" if committed else "a"
            got = load_and_infer(emu, want)
            results.append((kind, cut, sent, want, got))
            check(got == want, f"{kind} killed after {sent} of "
                  f"{totals[kind]} bytes: want {want}, got {got}")
            n += 1
            if n % 4 == 0:
                emu = start_emulator(flash)  # power cycle on the same flash
                got = load_and_infer(emu, want)
                check(got == want, f"after a restart ({kind} cut at {sent}): "
                      f"want {want}, got {got}")
            if committed:  # back to A for the next cut
                run([tool["xmos_flash"], P("a.img"), "--device",
                     emu.device])
    # And a complete update gives B.
    sent, committed, rc = cut_write(emu, "xmos_flash", 1 << 40)
    check(rc == 0 and load_and_infer(emu, "b") == "b",
          "the complete update to B does not give B's outputs")
    state["emu"].stop()
    print(f"{len(results)} cuts: " + ", ".join(
        f"{k.split('_')[-1]}@{s}:{g}" for k, c, s, w, g in results))

sys.exit(emu_client.exit_code())
