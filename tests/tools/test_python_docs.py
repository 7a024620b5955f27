#!/usr/bin/env python3
"""docs/python.md, every ```python block run in order in one folder
(demo.tflite, hello.tflite) against an emulator on a private socket, plus
the API's claims checked against LiteRT (BUILTIN_REF) on the original
models:

- the device and the host interpreter give LiteRT's output on the same
  input; read_output_array has the tensor's dtype/shape and .dequantized
  equals (q - zero_point) * scale;
- engine= uses that engine's tensor spec (engine 1 output is 4 bytes while
  engine 0's is 5);
- a wrong dtype, shape or size raises naming the tensor.

argv: SOURCE_DIR, xai (for `xai device stop`)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

src, xai = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(src, "python"))
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def litert(path, x):
    it = Interpreter(model_path=path,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    it.set_tensor(it.get_input_details()[0]["index"], x)
    it.invoke()
    return it.get_tensor(it.get_output_details()[0]["index"])


with open(os.path.join(src, "docs", "python.md")) as f:
    blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
check(len(blocks) >= 4, f"docs/python.md has {len(blocks)} python blocks")

with tempfile.TemporaryDirectory(prefix="xai-pydoc-") as tmp:
    sock = os.path.join(tmp, "dev.sock")
    os.environ["XAI_DEVICE_SOCKET"] = sock
    shutil.copy(os.path.join(src, "examples", "demo", "demo_classifier.tflite"),
                os.path.join(tmp, "demo.tflite"))
    shutil.copy(os.path.join(src, "examples", "models", "hello_conv_int8.tflite"),
                os.path.join(tmp, "hello.tflite"))
    os.chdir(tmp)
    try:
        for i, code in enumerate(blocks):
            try:
                exec(compile(code, f"docs/python.md block {i + 1}", "exec"),
                     {"__name__": "__doc_example__"})
            except Exception as e:  # report and go on with the next block
                check(False, f"docs/python.md block {i + 1}: "
                      f"{type(e).__name__}: {e}")

        from xmos_ai_ie import xcore_ai_ie
        from xmos_ai_ie.host_interpreter import xcore_ai_host_interpreter
        rng = np.random.default_rng(4)
        x = rng.integers(-128, 128, (1, 128, 128, 3), dtype=np.int8)
        want = litert("demo.tflite", x)
        ie = xcore_ai_ie()
        ie.connect()
        ie.download_model_file("demo_xcore.tflite", engine=0)
        ie.download_model_file("hello_xcore.tflite", engine=1)
        ie.write_input_tensor(x, engine=0)
        ie.start_inference(engine=0)
        y = ie.read_output_array(engine=0)
        check(y.dtype == np.int8 and y.shape == want.shape and
              (np.asarray(y) == want).all(), f"device {y} != LiteRT {want}")
        spec = ie.read_spec(engine=0)["outputs"][0]
        deq = (want.astype(np.float64) - spec["zero_point"]) * spec["scale"]
        check(np.allclose(y.dequantized, deq), f"dequantized {y.dequantized}")
        xh = rng.integers(-128, 128, (1, 32, 32, 3), dtype=np.int8)
        ie.write_input_tensor(xh, engine=1)
        ie.start_inference(engine=1)
        check(len(ie.read_output_bytes(engine=1)) == 4 and
              ie.read_output_tensor(engine=1) ==
              litert("hello.tflite", xh).flatten().tolist(),
              "engine 1 output uses engine 1's spec and matches LiteRT")
        for bad, kind in ((x.astype(np.uint8), TypeError),
                          (x[:, :64], ValueError), (b"\0" * 7, ValueError)):
            try:
                ie.write_input_tensor(bad, engine=0)
                check(False, f"{kind.__name__} not raised")
            except kind as e:
                check("serving_default_image:0" in str(e), str(e))
        # Entry 0 (demo_split, programmed by the docs' flash example) loads
        # back with the placement its model records.
        ie.set_model_from_flash(0, engine=1)
        ie.write_input_tensor(x, engine=1)
        ie.start_inference(engine=1)
        check((np.asarray(ie.read_output_array(engine=1)) == want).all(),
              "flash entry 0 on engine 1 != LiteRT")
        ie.close()

        for model, params in (("demo_xcore.tflite", None),
                              ("demo_split.tflite", "demo_split.params")):
            ip = xcore_ai_host_interpreter(model, params=params)
            ip.write_input_tensor(x)
            ip.start_inference()
            got = ip.read_output_array()
            check((np.asarray(got) == want).all(),
                  f"host interpreter {model}: {got} != {want}")
            check(len(ip.read_times()) > 0 and sum(ip.read_times()) > 0,
                  "host interpreter times")
            ip.close()
    finally:
        subprocess.run([xai, "device", "stop", "--socket", sock],
                       capture_output=True, timeout=30)

print("FAILED" if failures else "OK")
sys.exit(1 if failures else 0)
