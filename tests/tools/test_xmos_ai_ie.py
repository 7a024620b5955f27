#!/usr/bin/env python3
"""The xmos_ai_ie Python module against the emulator on a temp socket:
connect, download, spec, input, invoke, output and times, with the output
equal to LiteRT's reference kernels (BUILTIN_REF) on the same input; clear
errors for a missing emulator and a missing USB board.

argv: libxai_host_py.so, xai_device_emulator (may be absent: the emulator
part then skips), the example model. Exit 77 = skipped."""
import os
import subprocess
import sys
import tempfile
import time

lib, emulator, model = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ["XAI_HOST_PY_LIB"] = lib
sys.path.insert(0, os.path.join(os.environ.get("XAI_SOURCE_DIR", ""), "python"))
import xmos_ai_ie  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def raises(fn, *parts):
    try:
        fn()
    except xmos_ai_ie.XaiDeviceError as e:
        msg = str(e)
        for p in parts:
            check(p in msg, f"error message {msg!r} lacks {p!r}")
        return
    check(False, f"no error raised (wanted {parts})")


# Errors that need no emulator.
raises(lambda: xmos_ai_ie.xcore_ai_ie_emulator(socket="/nonexistent/x.sock").connect(),
       "no emulator at /nonexistent/x.sock")
raises(lambda: xmos_ai_ie.xcore_ai_ie_usb().connect(), "no device found")
raises(lambda: xmos_ai_ie.xcore_ai_ie_spi("/dev/xai-none").connect(),
       "no device found: cannot open /dev/xai-none")

if not (emulator and os.access(emulator, os.X_OK)):
    print("SKIP: xai_device_emulator is not built; only the error cases ran")
    sys.exit(1 if failures else 77)

# LiteRT oracle.
import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402

with tempfile.TemporaryDirectory(prefix="xai-py-") as tmp:
    sock = os.path.join(tmp, "dev.sock")
    proc = subprocess.Popen([emulator, "--socket", sock, "--foreground"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
        ie = xmos_ai_ie.xcore_ai_ie_emulator(socket=sock, timeout_ms=20000)
        ie.connect()
        check(sock in ie.description, f"description {ie.description}")
        check(ie.wait_note == "", f"wait note {ie.wait_note!r} (nobody held it)")
        check(ie.hello()["engines"] >= 2, "hello engines")
        ie.download_model_file(model)
        spec = ie.read_spec()
        # examples/make_hello_model.c: int8 [1,32,32,3] in, [1,4] out.
        check(ie.input_size == 32 * 32 * 3, f"input_size {ie.input_size}")
        check(ie.output_size == 4, f"output_size {ie.output_size}")
        check(spec["inputs"][0]["shape"] == [1, 32, 32, 3], "input shape")
        check(spec["outputs"][0]["zero_point"] == -128, "output zero point")

        rng = np.random.default_rng(7)
        x = rng.integers(-128, 128, size=(1, 32, 32, 3), dtype=np.int8)
        ie.write_input_tensor(x)
        ie.start_inference()
        out = ie.read_output_tensor()
        times = ie.read_times()
        layers = ie.read_layer_times()

        interp = Interpreter(model_path=model,
                             experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        interp.allocate_tensors()
        interp.set_tensor(interp.get_input_details()[0]["index"], x)
        interp.invoke()
        want = interp.get_tensor(interp.get_output_details()[0]["index"])
        check(out == [int(v) for v in want.flatten()], f"output {out} vs LiteRT {want}")
        check(len(times) == 6 and all(t >= 0 for t in times), f"times {times}")
        check([op for op, _ in layers][-1] == "SOFTMAX", f"layers {layers}")

        # The same input as a list of ints, on engine 1.
        ie.download_model_file(model, engine=1)
        ie.engine = 1
        ie.write_input_tensor([int(v) for v in x.flatten()])
        ie.start_inference()
        check(ie.read_output_tensor() == out, "engine 1 output")

        # A device error names the command and status.
        raises(lambda: ie.set_model_from_flash(9), "SET_MODEL", "device replied")
        try:
            ie.write_input_tensor(b"\0" * 5)
            check(False, "a 5-byte input was accepted")
        except ValueError as e:
            check("3072 bytes" in str(e) and "got 5 bytes" in str(e), str(e))
        blob = bytes(range(256)) * 64
        # The flash takes whole images only (atomic updates, issue #12).
        raises(lambda: ie.flash_write(blob, address=4096), "FLASH_WRITE",
               "whole flash image")
        raises(lambda: ie.flash_write(blob), "FLASH_WRITE",
               "not a complete flash image")
        check(ie.flash_read(16) == b"\xff" * 16, "no image reads as erased")
        ie.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)

print("test_xmos_ai_ie: " + ("all checks passed" if not failures else f"{failures} failed"))
sys.exit(1 if failures else 0)
