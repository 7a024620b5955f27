"""Running an optimised model in-process on the host, no emulator or
board: the same runtime and kernels the device runs (bit-exact with it),
with the modelled xcore.ai time of every layer.

    from xmos_ai_ie.host_interpreter import xcore_ai_host_interpreter
    ip = xcore_ai_host_interpreter("model_xcore.tflite",
                                   params="model_xcore.params")
    ip.write_input_tensor(x)           # numpy array of the input's dtype
    ip.start_inference()
    y = ip.read_output_array()         # y.dequantized: real values
    ms = ip.read_times()               # per layer, modelled on the device

The calls are xcore_ai_ie's, so a script runs on either. The library is
libxai_interp_py.so beside this file (or the source tree's release
build)."""
import ctypes
import os

from . import _tensors
from ._libpath import find_library

__all__ = ["xcore_ai_host_interpreter", "XaiHostError"]

_TIMER_TICKS_PER_MS = 100000  # the device's 100 MHz timer
_DTYPE_NAMES = {0: "float32", 2: "int32", 3: "uint8", 7: "int16", 9: "int8",
                4: "int64", 6: "bool"}
_lib = None


class XaiHostError(RuntimeError):
    """The runtime refused the model or failed an inference; str() is its
    message."""


class _Tensor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char * 64), ("type", ctypes.c_int32),
                ("rank", ctypes.c_int32), ("shape", ctypes.c_int32 * 8),
                ("scale", ctypes.c_float), ("zero_point", ctypes.c_int32),
                ("bytes", ctypes.c_uint64)]


class _Layer(ctypes.Structure):
    _fields_ = [("op", ctypes.c_char * 40), ("ticks", ctypes.c_uint64)]


def _load():
    global _lib
    if _lib is not None:
        return _lib
    path = find_library(os.path.dirname(os.path.abspath(__file__)),
                        "libxai_interp_py.so", env_file="XAI_INTERP_PY_LIB")
    lib = ctypes.CDLL(path)
    lib.xai_py_interp_sizeof.restype = ctypes.c_size_t
    lib.xai_py_interp_sizeof.argtypes = [ctypes.c_char]
    if (lib.xai_py_interp_sizeof(b"t") != ctypes.sizeof(_Tensor) or
            lib.xai_py_interp_sizeof(b"l") != ctypes.sizeof(_Layer)):
        raise OSError(f"{path} does not match this module: rebuild it")
    p, sz, msg = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
    sigs = {
        "xai_py_interp_open": ([ctypes.c_char_p, sz, ctypes.c_char_p, sz,
                                ctypes.c_uint32, ctypes.POINTER(p), msg, sz],
                               ctypes.c_int),
        "xai_py_interp_close": ([p], None),
        "xai_py_interp_count": ([p, ctypes.c_int], ctypes.c_uint32),
        "xai_py_interp_arena": ([p], ctypes.c_uint64),
        "xai_py_interp_tensor": ([p, ctypes.c_int, ctypes.c_uint32,
                                  ctypes.POINTER(_Tensor)], ctypes.c_int),
        "xai_py_interp_set_input": ([p, ctypes.c_uint32, ctypes.c_char_p, sz,
                                     msg, sz], ctypes.c_int),
        "xai_py_interp_invoke": ([p, msg, sz], ctypes.c_int),
        "xai_py_interp_get_output": ([p, ctypes.c_uint32, ctypes.c_void_p,
                                      sz], ctypes.c_int),
        "xai_py_interp_layers": ([p, ctypes.POINTER(_Layer), ctypes.c_uint32],
                                 ctypes.c_uint32),
    }
    for name, (args, res) in sigs.items():
        f = getattr(lib, name)
        f.argtypes = args
        f.restype = res
    _lib = lib
    return lib


def _read(x):
    if x is None:
        return None
    if isinstance(x, (bytes, bytearray, memoryview)):
        return bytes(x)
    with open(x, "rb") as f:
        return f.read()


class xcore_ai_host_interpreter:
    """One model (a path or bytes; params: the params file the xformer
    wrote, path or bytes) on the host runtime. clock_mhz: the device
    clock the modelled times assume (default 800)."""

    def __init__(self, model, params=None, clock_mhz=800):
        lib = _load()
        data, pdata = _read(model), _read(params)
        ip = ctypes.c_void_p()
        buf = ctypes.create_string_buffer(512)
        if lib.xai_py_interp_open(data, len(data), pdata,
                                  len(pdata) if pdata else 0, clock_mhz,
                                  ctypes.byref(ip), buf, len(buf)):
            raise XaiHostError(buf.value.decode("utf-8", "replace"))
        self._ip = ip
        self._spec = {"arena_bytes_used": int(lib.xai_py_interp_arena(ip)),
                      "inputs": self._tensors(0), "outputs": self._tensors(1)}

    def _tensors(self, output):
        out = []
        for i in range(_lib.xai_py_interp_count(self._ip, output)):
            t = _Tensor()
            _lib.xai_py_interp_tensor(self._ip, output, i, ctypes.byref(t))
            out.append({"name": t.name.decode("utf-8", "replace"),
                        "dtype": _DTYPE_NAMES.get(t.type, "type%d" % t.type),
                        "shape": [t.shape[d] for d in range(t.rank)],
                        "scale": t.scale, "zero_point": t.zero_point,
                        "bytes": t.bytes, "index": i})
        return out

    def close(self):
        if getattr(self, "_ip", None):
            _lib.xai_py_interp_close(self._ip)
            self._ip = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _need(self):
        if not self._ip:
            raise XaiHostError("the interpreter is closed")
        return self._ip

    def _tensor(self, kind, i):
        tensors = self._spec[kind]
        if not 0 <= i < len(tensors):
            raise XaiHostError(f"the model has {len(tensors)} {kind}; there "
                               f"is no {kind[:-1]} {i}")
        return tensors[i]

    def read_spec(self, engine=None):
        return self._spec

    @property
    def input_size(self):
        return self._tensor("inputs", 0)["bytes"]

    @property
    def output_size(self):
        return self._tensor("outputs", 0)["bytes"]

    def write_input_tensor(self, data, tensor_num=0, engine=None):
        raw = _tensors.input_bytes(data, self._tensor("inputs", tensor_num),
                                   tensor_num)
        buf = ctypes.create_string_buffer(512)
        if _lib.xai_py_interp_set_input(self._need(), tensor_num, raw,
                                        len(raw), buf, len(buf)):
            raise XaiHostError(buf.value.decode("utf-8", "replace"))

    def start_inference(self, engine=None):
        buf = ctypes.create_string_buffer(512)
        if _lib.xai_py_interp_invoke(self._need(), buf, len(buf)):
            raise XaiHostError(buf.value.decode("utf-8", "replace"))

    def read_output_bytes(self, tensor_num=0, engine=None):
        n = self._tensor("outputs", tensor_num)["bytes"]
        buf = ctypes.create_string_buffer(max(n, 1))
        _lib.xai_py_interp_get_output(self._need(), tensor_num, buf, n)
        return buf.raw[:n]

    def read_output_tensor(self, tensor_num=0, engine=None):
        return _tensors.values(self.read_output_bytes(tensor_num),
                               self._tensor("outputs", tensor_num))

    def read_output_array(self, tensor_num=0, engine=None):
        return _tensors.output_array(self.read_output_bytes(tensor_num),
                                     self._tensor("outputs", tensor_num))

    def read_layer_times(self, engine=None):
        """[(op name, modelled device ticks of 10 ns), ...] of the last
        inference, in execution order."""
        n = _lib.xai_py_interp_layers(self._need(), None, 0)
        layers = (_Layer * max(n, 1))()
        _lib.xai_py_interp_layers(self._ip, layers, n)
        return [(layers[i].op.decode(), layers[i].ticks) for i in range(n)]

    def read_times(self, engine=None):
        """Per-layer modelled device time of the last inference, in ms."""
        return [t / _TIMER_TICKS_PER_MS for _, t in self.read_layer_times()]
