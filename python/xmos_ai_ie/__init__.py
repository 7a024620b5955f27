"""xmos_ai_ie: run models on an xcore.ai board (USB or SPI) or on the xai
device emulator, with the calls of the seed's xcore_ai_ie module.

A thin ctypes binding over the C host library (include/xai/host.h), built as
libxai_host_py.so (python/xmos_ai_ie/CMakeLists.txt). An installed package
loads the library beside this file; a source tree $XAI_HOST_PY_LIB, else
<repo>/build/release/python/ (never a sanitizer build).

    from xmos_ai_ie import xcore_ai_ie_usb, xcore_ai_ie_emulator
    ie = xcore_ai_ie_emulator()          # starts the emulator if needed
    ie.connect()
    ie.download_model_file("model_xcore.tflite")
    ie.write_input_tensor(image_bytes)
    ie.start_inference()
    out = ie.read_output_tensor()        # list of ints in the output's type
    print(ie.read_times())               # ms per layer
"""
import ctypes
import os

from . import _tensors
from ._libpath import find_library

__all__ = ["xcore_ai_ie", "xcore_ai_ie_usb", "xcore_ai_ie_spi",
           "xcore_ai_ie_emulator", "XaiDeviceError"]

_NAME_BYTES = 64
_MAX_RANK = 8
_MAX_TENSORS = 32
_MAX_LAYERS = 4096
_DEFAULT_TIMEOUT_MS = 30000
_TIMER_TICKS_PER_MS = 100000  # 100 MHz device timer

# TFLite TensorType code -> (name, struct format of one element)
_DTYPES = {0: ("float32", "f"), 2: ("int32", "i"), 3: ("uint8", "B"),
           7: ("int16", "h"), 9: ("int8", "b")}
_MEMORY = {"sram": 0, "lpddr": 1}
# xai_host_params_memory (include/xai/host.h).
_PARAMS_MEMORY = {"sram": 0, "lpddr": 1, "flash": 2}


class XaiDeviceError(IOError):
    """A device call failed; str() is the library's message (it names the
    command and the device's status)."""


class _Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("message", ctypes.c_char * 512)]


class _Hello(ctypes.Structure):
    _fields_ = [("protocol_version", ctypes.c_uint16),
                ("max_payload", ctypes.c_uint16),
                ("tiles", ctypes.c_uint8), ("engines", ctypes.c_uint8),
                ("clock_mhz", ctypes.c_uint16),
                ("sram_bytes_per_tile", ctypes.c_uint32),
                ("lpddr_bytes", ctypes.c_uint32),
                ("flash_bytes", ctypes.c_uint32),
                ("timer_hz", ctypes.c_uint32),
                ("device", ctypes.c_char * 16)]


class _Tensor(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char * _NAME_BYTES),
                ("dtype", ctypes.c_uint8), ("rank", ctypes.c_uint8),
                ("index", ctypes.c_uint16),
                ("shape", ctypes.c_int32 * _MAX_RANK),
                ("scale", ctypes.c_float), ("zero_point", ctypes.c_int32),
                ("bytes", ctypes.c_uint32)]


class _Spec(ctypes.Structure):
    _fields_ = [("arena_bytes_used", ctypes.c_uint32),
                ("input_count", ctypes.c_uint16),
                ("output_count", ctypes.c_uint16),
                ("tensors", _Tensor * _MAX_TENSORS)]


class _Placement(ctypes.Structure):
    """xai_host_model_placement (include/xai/host_placement.h)."""
    _fields_ = [("present", ctypes.c_bool), ("model", ctypes.c_uint8),
                ("arena", ctypes.c_uint8), ("params", ctypes.c_uint8),
                ("flash_entry", ctypes.c_uint32),
                ("sram_bytes", ctypes.c_uint64),
                ("lpddr_bytes", ctypes.c_uint64),
                ("flash_bytes", ctypes.c_uint64)]


class _Layer(ctypes.Structure):
    _fields_ = [("ticks", ctypes.c_uint64),
                ("op", ctypes.c_char * _NAME_BYTES)]


class _LayerTile(ctypes.Structure):
    _fields_ = [("ticks", ctypes.c_uint64), ("link_ticks", ctypes.c_uint64),
                ("link_wait_ticks", ctypes.c_uint64),
                ("link_bytes", ctypes.c_uint32), ("tile", ctypes.c_uint8)]


class _TileUse(ctypes.Structure):
    _fields_ = [("compute_ticks", ctypes.c_uint64),
                ("link_ticks", ctypes.c_uint64),
                ("link_bytes", ctypes.c_uint64)]


class _TileTimings(ctypes.Structure):
    _fields_ = [("tiles", ctypes.c_uint8), ("compute_tile", ctypes.c_uint8),
                ("tile", _TileUse * 8), ("layer_count", ctypes.c_uint32),
                ("layers", ctypes.POINTER(_LayerTile))]


_PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64,
                             ctypes.c_uint64)
_lib = None


class _PipelineStats(ctypes.Structure):
    _fields_ = [("stages", ctypes.c_uint32), ("first_engine", ctypes.c_uint32),
                ("inferences", ctypes.c_uint32),
                ("compute_ticks", ctypes.c_uint64 * 8),
                ("in_bytes", ctypes.c_uint64 * 8),
                ("in_ticks", ctypes.c_uint64 * 8),
                ("step_ticks", ctypes.c_uint64),
                ("slowest_stage", ctypes.c_uint32),
                ("stream_ticks", ctypes.c_uint64),
                ("latency_ticks", ctypes.c_uint64)]


def _find_library():
    return find_library(os.path.dirname(os.path.abspath(__file__)),
                        "libxai_host_py.so", env_file="XAI_HOST_PY_LIB")


def _load():
    global _lib
    if _lib is not None:
        return _lib
    path = _find_library()
    lib = ctypes.CDLL(path)
    lib.xai_host_py_sizeof.restype = ctypes.c_size_t
    lib.xai_host_py_sizeof.argtypes = [ctypes.c_char_p]
    for key, cls in ((b"e", _Error), (b"h", _Hello), (b"s", _Spec),
                     (b"t", _Tensor), (b"l", _Layer), (b"u", _LayerTile),
                     (b"T", _TileTimings), (b"P", _PipelineStats)):
        if lib.xai_host_py_sizeof(key) != ctypes.sizeof(cls):
            raise OSError(f"{path} does not match this xmos_ai_ie module "
                          f"({cls.__name__} size differs): rebuild it")
    p, e = ctypes.c_void_p, ctypes.POINTER(_Error)
    u8, u16, u32, sz = ctypes.c_uint8, ctypes.c_uint16, ctypes.c_uint32, ctypes.c_size_t
    sigs = {
        "xai_host_connect": [ctypes.POINTER(p), ctypes.c_char_p, u32, e],
        "xai_host_hello": [p, ctypes.POINTER(_Hello), e],
        "xai_host_download_model": [p, u8, ctypes.c_char_p, sz, ctypes.c_int,
                                    _PROGRESS, p, e],
        "xai_host_set_model_from_flash": [p, u8, u32, e],
        "xai_host_download_model_params": [p, u8, ctypes.c_char_p, sz,
                                           ctypes.c_char_p, sz, ctypes.c_int,
                                           _PROGRESS, p, e],
        "xai_host_read_spec": [p, u8, ctypes.POINTER(_Spec), e],
        "xai_host_write_input": [p, u8, u16, ctypes.c_char_p, sz, e],
        "xai_host_invoke": [p, u8, e],
        "xai_host_invoke_tiles": [p, u32, e],
        "xai_host_link_input": [p, u8, u16, u8, u8, e],
        "xai_host_read_tile_times": [p, u8, ctypes.POINTER(_TileTimings),
                                     ctypes.POINTER(_LayerTile), u32, e],
        "xai_host_read_output": [p, u8, u16, ctypes.c_void_p, sz,
                                 ctypes.POINTER(sz), e],
        "xai_host_read_times": [p, u8, ctypes.POINTER(_Layer), u32,
                                ctypes.POINTER(u32), e],
        "xai_host_read_log": [p, ctypes.c_char_p, sz, ctypes.POINTER(sz), e],
        "xai_host_flash_write": [p, u32, ctypes.c_char_p, sz, _PROGRESS, p, e],
        "xai_host_flash_read": [p, u32, ctypes.c_void_p, sz, _PROGRESS, p, e],
        "xai_host_reset": [p, e],
        "xai_host_read_placement": [ctypes.c_char_p, sz,
                                    ctypes.POINTER(_Placement), e],
        "xai_host_flash_entry_placement": [p, u32, ctypes.POINTER(_Placement),
                                           e],
        "xai_host_load_flash_entry": [p, u8, u32, u8, ctypes.c_bool, e],
        "xai_host_pipeline_check": [p, u32, u32, ctypes.POINTER(sz),
                                    ctypes.POINTER(sz), e],
        "xai_host_pipeline_run": [p, u32, u32, ctypes.c_char_p, u32,
                                  ctypes.c_void_p,
                                  ctypes.POINTER(_PipelineStats), e],
        "xai_host_load_placed": [p, u8, ctypes.c_char_p, sz, ctypes.c_char_p,
                                 sz, ctypes.POINTER(_Placement), _PROGRESS,
                                 p, e],
    }
    for name, args in sigs.items():
        f = getattr(lib, name)
        f.argtypes = args
        f.restype = ctypes.c_int
    lib.xai_host_close.argtypes = [p]
    lib.xai_host_close.restype = None
    lib.xai_host_description.argtypes = [p]
    lib.xai_host_description.restype = ctypes.c_char_p
    lib.xai_host_wait_note.argtypes = [p]
    lib.xai_host_wait_note.restype = ctypes.c_char_p
    # Auto-start finds the emulator next to the calling executable, which
    # for Python is the interpreter: point it at the build tree instead.
    if not os.environ.get("XAI_DEVICE_EMULATOR"):
        emu = os.path.join(os.path.dirname(os.path.abspath(path)), "..",
                           "tools", "xai_device_emulator",
                           "xai_device_emulator")
        if os.path.exists(emu):
            os.environ["XAI_DEVICE_EMULATOR"] = os.path.normpath(emu)
    _lib = lib
    return lib


def _tensor_dict(t):
    name, fmt = _DTYPES.get(t.dtype, ("type%d" % t.dtype, None))
    return {"name": t.name.decode("utf-8", "replace"), "dtype": name,
            "shape": [t.shape[i] for i in range(t.rank)],
            "scale": t.scale, "zero_point": t.zero_point,
            "bytes": t.bytes, "index": t.index}


class xcore_ai_ie:
    """One device. `device` is as for xai_host_connect: None (the default
    emulator, started if needed), "emu:PATH", "usb", "usb:BUS:ADDR" or
    "spi:/dev/spidevB.C"."""

    def __init__(self, device=None, timeout_ms=_DEFAULT_TIMEOUT_MS, engine=0):
        self._device = device
        self._timeout_ms = timeout_ms
        self.engine = engine
        self._dev = None
        self._specs = {}  # engine -> read_spec() of its model

    # -- plumbing ---------------------------------------------------------
    def _call(self, fn, *args):
        err = _Error()
        st = fn(*args, ctypes.byref(err))
        if st != 0:
            raise XaiDeviceError(err.message.decode("utf-8", "replace"))

    def _need(self):
        if not self._dev:
            raise XaiDeviceError("not connected: call connect() first")
        return self._dev

    # -- connection -------------------------------------------------------
    def connect(self):
        lib = _load()
        if self._dev:
            return
        dev = ctypes.c_void_p()
        name = self._device.encode() if self._device else None
        self._call(lib.xai_host_connect, ctypes.byref(dev), name,
                   self._timeout_ms)
        self._dev = dev

    def close(self):
        if self._dev:
            _lib.xai_host_close(self._dev)
            self._dev = None

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    @property
    def description(self):
        return _lib.xai_host_description(self._need()).decode()

    @property
    def wait_note(self):
        """Who held the device when this connection had to wait for it
        ("device was held by client #3 (pid 812), idle 2.1 s; served after
        2.4 s"), or ""."""
        return _lib.xai_host_wait_note(self._need()).decode()

    def hello(self):
        h = _Hello()
        self._call(_lib.xai_host_hello, self._need(), ctypes.byref(h))
        d = {f: getattr(h, f) for f, _ in _Hello._fields_}
        d["device"] = h.device.decode()
        return d

    # -- model ------------------------------------------------------------
    def download_model(self, model, engine=None, memory="sram",
                       progress=None):
        """Loads model bytes into SRAM or LPDDR. progress(done, total) is
        called as chunks are acknowledged."""
        data = bytes(model)
        cb = _PROGRESS(lambda _u, done, total: progress(done, total)) \
            if progress else _PROGRESS(0)
        eng = self.engine if engine is None else engine
        self._call(_lib.xai_host_download_model, self._need(), eng, data,
                   len(data), _MEMORY[memory], cb, None)
        self._specs.pop(eng, None)

    def download_model_params(self, model, params, engine=None,
                              memory="flash", progress=None):
        """Loads model bytes with their params file (xformer
        --xcore-flash-image-file). memory "flash" programs a flash image of
        both at address 0 and loads the model from it (the params stream
        from flash); "lpddr" or "sram" sends both there."""
        data, pdata = bytes(model), bytes(params)
        if memory not in _PARAMS_MEMORY:
            raise ValueError("memory must be one of " +
                             ", ".join(sorted(_PARAMS_MEMORY)))
        cb = _PROGRESS(lambda _u, done, total: progress(done, total)) \
            if progress else _PROGRESS(0)
        eng = self.engine if engine is None else engine
        self._call(_lib.xai_host_download_model_params, self._need(), eng,
                   data, len(data), pdata, len(pdata),
                   _PARAMS_MEMORY[memory], cb, None)
        self._specs.pop(eng, None)

    def download_model_placed(self, model, params=None, engine=None,
                              progress=None):
        """Loads model bytes (and their params file) where the xformer
        placed them (the model's xai_placement record: model, arena and
        params memories, flash entry; as xmos_send_model does). A model
        that does not fit raises an error naming the memory, the bytes
        short and the xformer option that fixes it."""
        data = bytes(model)
        pdata = bytes(params) if params is not None else None
        place = _Placement()
        self._call(_load().xai_host_read_placement, data, len(data),
                   ctypes.byref(place))
        cb = _PROGRESS(lambda _u, done, total: progress(done, total)) \
            if progress else _PROGRESS(0)
        eng = self.engine if engine is None else engine
        self._call(_lib.xai_host_load_placed, self._need(), eng, data,
                   len(data), pdata, len(pdata) if pdata else 0,
                   ctypes.byref(place), cb, None)
        self._specs.pop(eng, None)

    def download_model_file(self, path, params_file=None, engine=None,
                            memory=None, progress=None):
        """Loads a .tflite file (and the params file xformer wrote for it):
        by default where the xformer placed it (download_model_placed);
        memory "sram", "lpddr" or, with params, "flash" overrides that."""
        with open(path, "rb") as f:
            model = f.read()
        if memory is None:
            params = None
            if params_file is not None:
                with open(params_file, "rb") as f:
                    params = f.read()
            self.download_model_placed(model, params, engine, progress)
            return
        if params_file is None:
            self.download_model(model, engine, memory or "sram", progress)
            return
        with open(params_file, "rb") as f:
            params = f.read()
        self.download_model_params(model, params, engine, memory or "flash",
                                   progress)

    def set_model_from_flash(self, flash_entry, engine=None):
        """Loads entry `flash_entry` of the device's flash image, with the
        arena (and model) where the xformer placed them when the entry's
        model records it."""
        eng = self.engine if engine is None else engine
        place = _Placement()
        err = _Error()
        if _lib.xai_host_flash_entry_placement(
                self._need(), flash_entry, ctypes.byref(place),
                ctypes.byref(err)) != 0:
            place.present = False
        arena = place.arena if place.present else 0
        model_lpddr = bool(place.present and place.model == 2)  # LPDDR
        self._call(_lib.xai_host_load_flash_entry, self._need(), eng,
                   flash_entry, arena, model_lpddr)
        self._specs.pop(eng, None)

    def read_spec(self, engine=None):
        """{"arena_bytes_used", "inputs": [...], "outputs": [...]} of the
        engine's model, each tensor a dict of name, dtype, shape, scale,
        zero_point, bytes."""
        eng = self.engine if engine is None else engine
        s = _Spec()
        self._call(_lib.xai_host_read_spec, self._need(), eng,
                   ctypes.byref(s))
        n_in = s.input_count
        self._specs[eng] = {
            "arena_bytes_used": s.arena_bytes_used,
            "inputs": [_tensor_dict(s.tensors[i]) for i in range(n_in)],
            "outputs": [_tensor_dict(s.tensors[n_in + i])
                        for i in range(s.output_count)]}
        return self._specs[eng]

    def _tensor(self, kind, i, engine=None):
        eng = self.engine if engine is None else engine
        if eng not in self._specs:
            self.read_spec(eng)
        tensors = self._specs[eng][kind]
        if not 0 <= i < len(tensors):
            raise XaiDeviceError(f"the model has {len(tensors)} {kind}; "
                                 f"there is no {kind[:-1]} {i}")
        return tensors[i]

    @property
    def input_size(self):
        return self._tensor("inputs", 0)["bytes"]

    @property
    def output_size(self):
        return self._tensor("outputs", 0)["bytes"]

    # The seed's names.
    input_length = input_size
    output_length = output_size

    # -- inference --------------------------------------------------------
    def write_input_tensor(self, data, tensor_num=0, engine=None):
        """data: bytes-like (raw tensor bytes), a numpy array of the input's
        dtype and shape, or a list of numbers in the input's type (int8
        values -128..127, ...). The engine's tensor spec is checked first:
        a wrong dtype, shape or size raises TypeError/ValueError naming
        the tensor."""
        eng = self.engine if engine is None else engine
        raw = _tensors.input_bytes(
            data, self._tensor("inputs", tensor_num, eng), tensor_num)
        self._call(_lib.xai_host_write_input, self._need(), eng, tensor_num,
                   raw, len(raw))

    def start_inference(self, engine=None):
        eng = self.engine if engine is None else engine
        self._call(_lib.xai_host_invoke, self._need(), eng)

    def start_inference_tiles(self, engines):
        """Runs the models of several engines at once, each on its own tile
        (INVOKE_TILES); returns when all are done."""
        mask = 0
        for eng in engines:
            mask |= 1 << int(eng)
        self._call(_lib.xai_host_invoke_tiles, self._need(), mask)

    def link_input(self, src_engine, src_output=0, tensor_num=0, engine=None):
        """Input tensor_num of engine becomes output src_output of
        src_engine's last inference, copied on the device (LINK_INPUT): a
        pipeline of models without the host in between."""
        eng = self.engine if engine is None else engine
        self._call(_lib.xai_host_link_input, self._need(), eng, tensor_num,
                   src_engine, src_output)

    def download_pipeline(self, stage_files, engine=None, progress=None):
        """Loads the stage models of xformer --xcore-pipeline (OUT.stage0
        .tflite, ...) on engines engine, engine + 1, ... in order."""
        eng = self.engine if engine is None else engine
        for k, path in enumerate(stage_files):
            self.download_model_file(path, engine=eng + k, progress=progress)

    def run_pipeline(self, inputs, stages, engine=None):
        """Streams inputs (a list of bytes, each one inference's inputs
        concatenated) through the pipeline on engines engine ..
        engine + stages - 1, stages inputs in flight: returns the outputs
        (bytes, in order) and a dict of modelled times in ms (per stage
        compute_ms, in_bytes, in_ms; step_ms, per_s, latency_ms,
        stream_ms)."""
        eng = self.engine if engine is None else engine
        in_rec, out_rec = ctypes.c_size_t(), ctypes.c_size_t()
        self._call(_lib.xai_host_pipeline_check, self._need(), eng, stages,
                   ctypes.byref(in_rec), ctypes.byref(out_rec))
        for i, d in enumerate(inputs):
            if len(d) != in_rec.value:
                raise ValueError(f"input {i} is {len(d)} bytes; one "
                                 f"inference takes {in_rec.value}")
        if not inputs:
            return [], None
        out = ctypes.create_string_buffer(out_rec.value * len(inputs))
        st = _PipelineStats()
        self._call(_lib.xai_host_pipeline_run, self._need(), eng, stages,
                   b"".join(bytes(d) for d in inputs), len(inputs), out,
                   ctypes.byref(st))
        ms = 1e-5
        stats = {"stages": [{"compute_ms": st.compute_ticks[k] * ms,
                             "in_bytes": st.in_bytes[k],
                             "in_ms": st.in_ticks[k] * ms}
                            for k in range(st.stages)],
                 "step_ms": st.step_ticks * ms,
                 "per_s": 1e8 / st.step_ticks if st.step_ticks else 0.0,
                 "latency_ms": st.latency_ticks * ms,
                 "stream_ms": st.stream_ticks * ms,
                 "slowest_stage": st.slowest_stage}
        n = out_rec.value
        return [out.raw[i * n:(i + 1) * n] for i in range(len(inputs))], stats

    def read_tile_times(self, engine=None):
        """Per-tile and per-layer tile use of the last inference
        (GET_TILE_TIMINGS, docs/multitile.md): a dict with tiles,
        compute_tile, tile (per tile compute_ticks, link_ticks, link_bytes)
        and layers (ticks, link_ticks, link_wait_ticks, link_bytes, tile)."""
        eng = self.engine if engine is None else engine
        layers = (_LayerTile * _MAX_LAYERS)()
        tt = _TileTimings()
        self._call(_lib.xai_host_read_tile_times, self._need(), eng,
                   ctypes.byref(tt), layers, _MAX_LAYERS)
        def fields(s):
            return {name: getattr(s, name) for name, _ in s._fields_}
        return {"tiles": tt.tiles, "compute_tile": tt.compute_tile,
                "tile": [fields(tt.tile[i]) for i in range(tt.tiles)],
                "layers": [fields(layers[i]) for i in range(tt.layer_count)]}

    def read_output_bytes(self, tensor_num=0, engine=None):
        eng = self.engine if engine is None else engine
        cap = self._tensor("outputs", tensor_num, eng)["bytes"]
        buf = ctypes.create_string_buffer(max(cap, 1))
        n = ctypes.c_size_t()
        self._call(_lib.xai_host_read_output, self._need(), eng, tensor_num,
                   buf, cap, ctypes.byref(n))
        return buf.raw[:n.value]

    def read_output_tensor(self, tensor_num=0, engine=None):
        """The output as a list of ints (floats for float32) in its type."""
        raw = self.read_output_bytes(tensor_num, engine)
        return _tensors.values(raw, self._tensor("outputs", tensor_num,
                                                 engine))

    def read_output_array(self, tensor_num=0, engine=None):
        """The output as a numpy array of its dtype and shape, with .scale,
        .zero_point and .dequantized (float32 real values)."""
        raw = self.read_output_bytes(tensor_num, engine)
        return _tensors.output_array(raw, self._tensor("outputs", tensor_num,
                                                       engine))

    def read_layer_times(self, engine=None):
        """[(op name, device ticks of 10 ns), ...] in execution order."""
        eng = self.engine if engine is None else engine
        layers = (_Layer * _MAX_LAYERS)()
        count = ctypes.c_uint32()
        self._call(_lib.xai_host_read_times, self._need(), eng, layers,
                   _MAX_LAYERS, ctypes.byref(count))
        return [(layers[i].op.decode(), layers[i].ticks)
                for i in range(count.value)]

    def read_times(self, engine=None):
        """Per-layer device time of the last inference, in ms."""
        return [ticks / _TIMER_TICKS_PER_MS
                for _, ticks in self.read_layer_times(engine)]

    def read_log(self):
        buf = ctypes.create_string_buffer(65536)
        n = ctypes.c_size_t()
        self._call(_lib.xai_host_read_log, self._need(), buf, len(buf),
                   ctypes.byref(n))
        return buf.value.decode("utf-8", "replace")

    # -- flash ------------------------------------------------------------
    def flash_write(self, data, address=0):
        data = bytes(data)
        self._call(_lib.xai_host_flash_write, self._need(), address, data,
                   len(data), _PROGRESS(0), None)

    def flash_read(self, size, address=0):
        buf = ctypes.create_string_buffer(max(size, 1))
        self._call(_lib.xai_host_flash_read, self._need(), address, buf, size,
                   _PROGRESS(0), None)
        return buf.raw[:size]

    def reset(self):
        self._call(_lib.xai_host_reset, self._need())
        self._specs = {}


class xcore_ai_ie_usb(xcore_ai_ie):
    """A board on USB (the first with xai's VID/PID, or bus/address)."""

    def __init__(self, bus_addr=None, timeout_ms=_DEFAULT_TIMEOUT_MS,
                 engine=0):
        super().__init__("usb:" + bus_addr if bus_addr else "usb",
                         timeout_ms, engine)


class xcore_ai_ie_spi(xcore_ai_ie):
    """A board on a Linux spidev bus."""

    def __init__(self, path="/dev/spidev0.0", timeout_ms=_DEFAULT_TIMEOUT_MS,
                 engine=0):
        super().__init__("spi:" + path, timeout_ms, engine)


class xcore_ai_ie_emulator(xcore_ai_ie):
    """The xai device emulator: on `socket` if given (it must be running),
    else on the default socket, started when not running."""

    def __init__(self, socket=None, timeout_ms=_DEFAULT_TIMEOUT_MS, engine=0):
        super().__init__("emu:" + socket if socket else None, timeout_ms,
                         engine)
