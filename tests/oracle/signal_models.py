"""Single-op models of TFLite Micro's signal library ops (the Signal* custom
ops), in every tensor type TFLM's kernels take, over several shapes and
options each: written as NAME.tflite by write_all(dir). Deterministic.
Options are the flexbuffer maps TFLM's Python op wrappers write (keys
sorted, as TFLM reads them by position). Model names carry input hints
for oracle_signal.py: __shift (a small non-negative int32 scalar), __neg
(small int16 values around one -32768), __edge (only the type's extreme
values), __rA_B (TFLM writes only elements
[A, B) of output 0)."""
import os

import numpy as np
from flatbuffers import flexbuffers
import flatbuffers

from tflite_micro.tensorflow.lite.micro.python import (
    schema_py_generated as S)

_TYPES = {np.int16: S.TensorType.INT16, np.int32: S.TensorType.INT32,
          np.float32: S.TensorType.FLOAT32, np.uint32: S.TensorType.UINT32,
          np.uint64: S.TensorType.UINT64, np.bool_: S.TensorType.BOOL,
          np.int8: S.TensorType.INT8}
_CODES = {np.int16: 7, np.int32: 2, np.float32: 0, np.int8: 9}


class OneOp:
    """A model of one custom op: model inputs are its non-constant inputs,
    model outputs all its outputs."""

    def __init__(self):
        self.tensors, self.buffers, self.inputs, self.op_inputs = [], [b""], [], []

    def _tensor(self, shape, dtype, data=None):
        t = S.TensorT()
        t.shape, t.type = list(shape), _TYPES[dtype]
        t.name, t.buffer = f"t{len(self.tensors)}", 0
        if data is not None:
            arr = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape))
            self.buffers.append(arr.tobytes())
            t.buffer = len(self.buffers) - 1
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, shape, dtype):
        t = self._tensor(shape, dtype)
        self.inputs.append(t)
        self.op_inputs.append(t)

    def const(self, shape, dtype, data):
        self.op_inputs.append(self._tensor(shape, dtype, data))

    def finish(self, name, options, outputs):
        outs = [self._tensor(s, d) for s, d in outputs]
        c = S.OperatorCodeT()
        c.builtinCode = c.deprecatedBuiltinCode = S.BuiltinOperator.CUSTOM
        c.customCode, c.version = name, 1
        o = S.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = 0, self.op_inputs, outs
        o.customOptions = list(flexbuffers.Dumps(options))
        o.customOptionsFormat = S.CustomOptionsFormat.FLEXBUFFERS
        sg = S.SubGraphT()
        sg.tensors, sg.operators = self.tensors, [o]
        sg.inputs, sg.outputs = self.inputs, outs
        m = S.ModelT()
        m.version, m.description = 3, "xai signal op test model"
        m.operatorCodes, m.subgraphs = [c], [sg]
        m.buffers = []
        for data in self.buffers:
            b = S.BufferT()
            b.data = list(data) if data else None
            m.buffers.append(b)
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


def _window(rng):
    for i, (shape, size, shift) in enumerate([((480,), 480, 12),
                                              ((2, 3, 64), 64, 0),
                                              ((1, 10), 10, 31)]):
        n = OneOp()
        n.input(shape, np.int16)
        n.const((size,), np.int16, rng.integers(-32768, 32767, size, endpoint=True))
        yield f"window_{i}", n.finish("SignalWindow", {"shift": shift},
                                      [(shape, np.int16)])


def _auto_scale():
    for i, (size, hint) in enumerate([(480, ""), (7, ""), (1, ""),
                                      (33, "__neg")]):
        n = OneOp()
        n.input((size,), np.int16)
        yield f"fft_auto_scale_{i}{hint}", n.finish(
            "SignalFftAutoScale", {}, [((size,), np.int16), ((), np.int32)])


_RFFT = [(np.int16, 512, (480,)), (np.int16, 64, (3, 64)),
         (np.int16, 240, (200,)), (np.int16, 16, (16,)),
         (np.int32, 512, (480,)), (np.int32, 60, (2, 60)),
         (np.float32, 512, (512,)), (np.float32, 48, (2, 40))]
_IRFFT = [(np.int16, 512, (1,)), (np.int16, 60, (2,)), (np.int32, 64, ()),
          (np.float32, 512, ()), (np.float32, 40, (3,))]


def _ffts():
    for i, (dt, fft, shape) in enumerate(_RFFT):
        n = OneOp()
        n.input(shape, dt)
        yield f"rfft_{np.dtype(dt).name}_{i}", n.finish(
            "SignalRfft", {"T": _CODES[dt], "fft_length": fft},
            [(shape[:-1] + (fft + 2,), dt)])
    for i, (dt, fft, outer) in enumerate(_IRFFT):
        n = OneOp()
        n.input(outer + (fft + 2,), dt)
        yield f"irfft_{np.dtype(dt).name}_{i}", n.finish(
            "SignalIrfft", {"T": _CODES[dt], "fft_length": fft},
            [(outer + (fft,), dt)])


def _edges(rng):
    """Extreme inputs, where the fixed-point sums wrap and saturate."""
    for dt, fft in ((np.int16, 64), (np.int32, 64), (np.int16, 120)):
        n = OneOp()
        n.input((fft,), dt)
        yield f"rfft_{np.dtype(dt).name}_{fft}__edge", n.finish(
            "SignalRfft", {"T": _CODES[dt], "fft_length": fft},
            [((fft + 2,), dt)])
        n = OneOp()
        n.input((fft + 2,), dt)
        yield f"irfft_{np.dtype(dt).name}_{fft}__edge", n.finish(
            "SignalIrfft", {"T": _CODES[dt], "fft_length": fft},
            [((fft,), dt)])
    n = OneOp()
    n.input((40,), np.int16)
    n.const((40,), np.int16, rng.choice([-32768, 32767, 1, -1], 40))
    yield "window__edge", n.finish("SignalWindow", {"shift": 3},
                                   [((40,), np.int16)])
    n = OneOp()
    n.input((2, 6), np.int16)
    yield "overlap_add_int16__edge", n.finish(
        "SignalOverlapAdd", {"T": 7, "frame_step": 2}, [((4,), np.int16)])
    n = OneOp()
    n.input((34,), np.int16)
    yield "energy__edge__r0_17", n.finish(
        "SignalEnergy", {"end_index": 17, "start_index": 0},
        [((17,), np.uint32)])
    n = OneOp()
    n.input((16,), np.int16)
    yield "fft_auto_scale__edge", n.finish(
        "SignalFftAutoScale", {}, [((16,), np.int16), ((), np.int32)])


def _energy():
    for i, (bins, start, end) in enumerate([(257, 5, 241), (33, 0, 33),
                                            (5, 2, 2)]):
        n = OneOp()
        n.input((2 * bins,), np.int16)
        yield f"energy_{i}__r{start}_{end}", n.finish(
            "SignalEnergy", {"end_index": end, "start_index": start},
            [((bins,), np.uint32)])


def mel_tables(bins, channels, rng, weight_bits=12):
    """Triangular-ish filter bank tables: channel i spans [start_i,
    start_i + width_i) with weights w and unweights 2^bits - w."""
    edges = np.sort(rng.choice(np.arange(1, bins - 1), channels + 2,
                               replace=False))
    starts, wstarts, widths, weights = [], [], [], []
    for i in range(channels + 1):
        lo, hi = int(edges[i]), int(edges[i + 1])
        starts.append(lo)
        wstarts.append(len(weights))
        widths.append(hi - lo)
        weights += list(rng.integers(0, 1 << weight_bits, hi - lo))
    w = np.array(weights, np.int16)
    return (w, ((1 << weight_bits) - w).astype(np.int16),
            np.array(starts, np.int16), np.array(wstarts, np.int16),
            np.array(widths, np.int16))


def _filter_bank(rng):
    for i, (bins, ch) in enumerate([(257, 40), (33, 8), (12, 1)]):
        n = OneOp()
        n.input((bins,), np.uint32)
        tables = mel_tables(bins, ch, rng)
        if i == 2:  # negative weights convert to uint64 as TFLM's do
            tables = (-tables[0],) + tables[1:]
        for t in tables:
            n.const(t.shape, np.int16, t)
        yield f"filter_bank_{i}", n.finish(
            "SignalFilterBank", {"num_channels": ch}, [((ch,), np.uint64)])


def _sqrt_log():
    for i, ch in enumerate([40, 3]):
        n = OneOp()
        n.input((ch,), np.uint64)
        n.input((), np.int32)
        yield f"filter_bank_square_root_{i}__shift", n.finish(
            "SignalFilterBankSquareRoot", {}, [((ch,), np.uint32)])
    for i, (ch, bits, scale) in enumerate([(40, 3, 64), (12, 0, 1600),
                                           (5, 31, 2147483647), (6, 8, -3)]):
        n = OneOp()
        n.input((ch,), np.uint32)
        yield f"filter_bank_log_{i}", n.finish(
            "SignalFilterBankLog",
            {"input_correction_bits": bits, "output_scale": scale},
            [((ch,), np.int16)])


def _spectral():
    model = {"alternate_one_minus_smoothing": 15401, "alternate_smoothing": 983,
             "clamping": False, "min_signal_remaining": 819,
             "num_channels": 40, "one_minus_smoothing": 15975,
             "smoothing": 409, "smoothing_bits": 10,
             "spectral_subtraction_bits": 14}
    other = dict(model, clamping=True, num_channels=7, smoothing=3000,
                 one_minus_smoothing=13384, smoothing_bits=4,
                 spectral_subtraction_bits=14, min_signal_remaining=5000)
    wide = dict(model, num_channels=3, smoothing_bits=0,
                spectral_subtraction_bits=0, smoothing=1,
                one_minus_smoothing=0, alternate_smoothing=0,
                alternate_one_minus_smoothing=1, min_signal_remaining=1)
    for i, opts in enumerate([model, other, wide]):
        ch = opts["num_channels"]
        n = OneOp()
        n.input((ch,), np.uint32)
        yield f"filter_bank_spectral_subtraction_{i}", n.finish(
            "SignalFilterBankSpectralSubtraction", opts,
            [((ch,), np.uint32), ((ch,), np.uint32)])


def _pcan(rng):
    for i, (ch, shift) in enumerate([(40, 6), (5, 0), (9, 40)]):
        n = OneOp()
        n.input((ch,), np.uint32)
        n.input((ch,), np.uint32)
        lut = rng.integers(-2000, 8000, 125) if i else \
            rng.integers(0, 4096, 125)
        n.const((125,), np.int16, lut)
        yield f"pcan_{i}", n.finish("SignalPCAN", {"snr_shift": shift},
                                    [((ch,), np.uint32)])


def _streams():
    for i, (shape, fs, step, prefill) in enumerate([
            ((320,), 400, 160, True), ((320,), 400, 160, False),
            ((2, 6), 5, 2, False), ((4,), 2, 4, False), ((3, 8), 8, 4, True)]):
        n = OneOp()
        n.input(shape, np.int16)
        frames = shape[-1] // step
        yield f"framer_{i}", n.finish(
            "SignalFramer",
            {"frame_size": fs, "frame_step": step, "prefill": prefill},
            [(shape[:-1] + (frames, fs), np.int16), ((), np.bool_)])
    for i, (c, left, right, step) in enumerate([(4, 2, 1, 1), (3, 0, 0, 1),
                                                (2, 1, 2, 3)]):
        n = OneOp()
        n.input((c,), np.int16)
        yield f"stacker_{i}", n.finish(
            "SignalStacker",
            {"num_channels": c, "stacker_left_context": left,
             "stacker_right_context": right, "stacker_step": step},
            [((c * (left + right + 1),), np.int16), ((), np.bool_)])
    for i, (shape, delay) in enumerate([((5,), 3), ((2, 4), 0), ((3,), 10)]):
        n = OneOp()
        n.input(shape, np.int16)
        yield f"delay_{i}", n.finish("SignalDelay", {"delay_length": delay},
                                     [(shape, np.int16)])
    for i, (dt, shape, step) in enumerate([(np.int16, (3, 8), 4),
                                           (np.float32, (2, 2, 6), 3),
                                           (np.int16, (1, 4), 4)]):
        n = OneOp()
        n.input(shape, dt)
        out = shape[:-2] + (shape[-2] * step,)
        yield f"overlap_add_{np.dtype(dt).name}_{i}", n.finish(
            "SignalOverlapAdd", {"T": _CODES[dt], "frame_step": step},
            [(out, dt)])


def all_models():
    rng = np.random.default_rng(11)
    for gen in (_window(rng), _auto_scale(), _ffts(), _edges(rng), _energy(),
                _filter_bank(rng), _sqrt_log(), _spectral(), _pcan(rng),
                _streams()):
        yield from gen


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for name, data in all_models():
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(data)
        names.append(name)
    return names


def bad_models():
    """(name, model, substrings its one-line refusal must hold): variants
    TFLM's kernels do not take, or that would read outside a tensor."""
    n = OneOp()
    n.input((8,), np.int8)
    n.const((8,), np.int16, np.ones(8))
    yield ("window_int8", n.finish("SignalWindow", {"shift": 1},
                                   [((8,), np.int8)]),
           ["op 0", "SignalWindow", "INT8", "takes INT16"])
    n = OneOp()
    n.input((14,), np.int16)
    yield ("rfft_prime", n.finish("SignalRfft", {"T": 7, "fft_length": 14},
                                  [((16,), np.int16)]),
           ["op 0", "SignalRfft", "fft_length", "2, 3 and 5"])
    n = OneOp()
    n.input((16,), np.int8)
    yield ("rfft_int8", n.finish("SignalRfft", {"T": 9, "fft_length": 16},
                                 [((18,), np.int8)]),
           ["SignalRfft", "INT8", "INT16, INT32 or FLOAT32"])
    n = OneOp()
    n.input((3, 8), np.int32)
    yield ("overlap_add_int32", n.finish(
        "SignalOverlapAdd", {"T": 2, "frame_step": 4}, [((12,), np.int32)]),
        ["SignalOverlapAdd", "INT32", "INT16 or FLOAT32"])
    n = OneOp()
    n.input((10,), np.uint32)
    for t in (np.full(4, 100), np.full(4, 100), [0, 3, 9], [0, 2, 4], [3, 3, 3]):
        n.const((len(t),), np.int16, t)
    yield ("filter_bank_out_of_range", n.finish(
        "SignalFilterBank", {"num_channels": 2}, [((2,), np.uint64)]),
        ["SignalFilterBank", "channel 1", "out of range"])
    n = OneOp()
    n.input((5,), np.int16)
    yield ("stacker_short_input", n.finish(
        "SignalStacker", {"num_channels": 4, "stacker_left_context": 1,
                          "stacker_right_context": 0, "stacker_step": 1},
        [((8,), np.int16), ((), np.bool_)]),
        ["SignalStacker", "4 channels"])


def random_variants(seed, count):
    """(name, model) pairs: the valid models above with one or two options
    or dimensions changed to nearby or extreme values, so most fail deep in
    the checks or just pass them: the runtime must refuse each with one
    line or run it, never crash or read outside a tensor."""
    rng = np.random.default_rng(seed)
    base = list(all_models())
    extremes = [0, 1, 2, 3, -1, 7, 64, 255, 256, 1 << 16, 1 << 20,
                2 ** 31 - 1, -2 ** 31]
    for k in range(count):
        name, data = base[int(rng.integers(len(base)))]
        m = S.ModelT.InitFromObj(S.Model.GetRootAs(data, 0))
        sg, op = m.subgraphs[0], m.subgraphs[0].operators[0]
        for _ in range(int(rng.integers(1, 3))):
            opts = flexbuffers.Loads(bytes(op.customOptions))
            if opts and rng.random() < 0.5:
                key = sorted(opts)[int(rng.integers(len(opts)))]
                v = opts[key]
                if isinstance(v, bool):
                    opts[key] = not v
                elif rng.random() < 0.5:
                    opts[key] = int(v) + int(rng.integers(-2, 3))
                else:
                    opts[key] = int(rng.choice(extremes))
                op.customOptions = list(flexbuffers.Dumps(opts))
            else:
                t = sg.tensors[int(rng.integers(len(sg.tensors)))]
                if t.shape is not None and len(t.shape) and t.buffer == 0:
                    d = int(rng.integers(len(t.shape)))
                    t.shape = [int(v) for v in t.shape]
                    t.shape[d] = max(0, t.shape[d] + int(rng.integers(-2, 3)))
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        yield f"random_{k}_{name}", bytes(fb.Output())
