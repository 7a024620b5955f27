"""TFLite Micro's own interpreter (PyPI `tflite-micro`) as an oracle: the
default semantics of xai. Each model runs in a forked child that leaves with
os._exit, so an interpreter that aborts cannot take the harness down."""
import os
import pickle

import numpy as np
from tflite_micro.python.tflite_micro import runtime

# Large enough for every shared model (mobilenet_v2 needs ~1.6 MB).
ARENA = 16 << 20


def _details(fn):
    out = []
    while True:
        try:
            out.append(fn(len(out)))
        except (IndexError, ValueError, RuntimeError):
            return out


def interpreter(model):
    it = runtime.Interpreter.from_file(model, arena_size=ARENA)
    return (it, _details(it.get_input_details),
            _details(it.get_output_details))


def run(state, inputs):
    it, _, outs = state
    for k, x in enumerate(inputs):
        it.set_input(np.ascontiguousarray(x), k)
    it.invoke()
    return [np.array(it.get_output(k)) for k in range(len(outs))]


def in_child(model, make_inputs):
    """(inputs, outputs) from TFLM for make_inputs(input details), or
    (None, error text)."""
    def work():
        state = interpreter(model)
        inputs = make_inputs(state[1])
        return inputs, run(state, inputs)
    return call_in_child(work)


def call_in_child(fn):
    """(fn(), None) computed in a forked child that leaves with os._exit,
    or (None, error text): an interpreter that aborts cannot take the
    harness down."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        # TFLM prints its index probes and errors itself; the parent gets them
        # through the pipe instead.
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            payload = pickle.dumps(("ok", fn()))
        except Exception as e:  # noqa: BLE001 - reported to the parent
            payload = pickle.dumps(("error", f"{type(e).__name__}: {e}"))
        with os.fdopen(w, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return None, f"TFLite Micro crashed (wait status {status})"
    kind, value = pickle.loads(data)
    return (value, None) if kind == "ok" else (None, value)
