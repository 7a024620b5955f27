"""Models with TFLM_DECODE for oracle_tflm_custom.py --module decode_models:
small graphs whose constant operands TFLite Micro's own compression tool
(tflite_micro's compression/compress.py, LUT) rewrote as index streams and
value tables, decoded at run time by DECODE ops. Index widths 1 to 7; per
tensor and per channel, along axis 0 (FULLY_CONNECTED and CONV_2D weights)
and the last axis (DEPTHWISE_CONV_2D weights); int8, int16, int32, int64
and float32 tables (the tool has no bool encoder). Deterministic."""
import os

import numpy as np

from tflite_micro.tensorflow.lite.micro.python import (
    schema_py_generated as S)
from tflite_micro.tensorflow.lite.micro.compression import compress, spec
from tflm_custom_models import Graph

A = S.ActivationFunctionType


def _op(g, code, inputs, outputs, opts_type=None, opts=None):
    o = S.OperatorT()
    o.opcodeIndex = g._code(code)
    o.inputs, o.outputs = list(inputs), list(outputs)
    if opts is not None:
        o.builtinOptionsType, o.builtinOptions = opts_type, opts
    g.ops.append(o)


def _per_channel(g, t, scales, axis):
    q = S.QuantizationParametersT()
    q.scale = [float(s) for s in scales]
    q.zeroPoint = [0] * len(scales)
    q.quantizedDimension = axis
    g.tensors[t].quantization = q


def _levels(rng, shape, bits, lo, hi, per_axis=None):
    """Values with at most 2**bits distinct ones (per slice of per_axis)."""
    n = 1 << bits
    if per_axis is None:
        table = rng.choice(np.arange(lo, hi + 1), size=min(n, hi - lo + 1),
                           replace=False)
        return table[rng.integers(0, len(table), shape)]
    out = np.empty(shape, dtype=np.int64)
    moved = np.moveaxis(out, per_axis, 0)
    for c in range(moved.shape[0]):
        table = rng.choice(np.arange(lo, hi + 1), size=min(n, hi - lo + 1),
                           replace=False)
        moved[c] = table[rng.integers(0, len(table), moved[c].shape)]
    return out


def _lut(tensor, bits, axis=None):
    mode = spec.PerTensor() if axis is None else spec.PerChannel(axis=axis)
    return spec.Tensor(subgraph=0, tensor=tensor, compression=[
        spec.LookUpTableCompression(index_bitwidth=bits, mode=mode)])


def _fc(rng, bits, units, depth, batch):
    g = Graph()
    x = g.input((batch, depth), np.int8, 0.05, 3)
    w = g.tensor((units, depth), np.int8,
                 data=_levels(rng, (units, depth), bits, -127, 127, 0))
    _per_channel(g, w, rng.uniform(0.002, 0.01, units), 0)
    b = g.tensor((units,), np.int32, 0.0001, 0,
                 _levels(rng, (units,), min(bits, 3), -3000, 3000))
    y = g.output((batch, units), np.int8, 0.1, -2)
    opts = S.FullyConnectedOptionsT()
    _op(g, S.BuiltinOperator.FULLY_CONNECTED, [x, w, b], [y],
        S.BuiltinOptions.FullyConnectedOptions, opts)
    return g.write(), [_lut(w, bits, 0), _lut(b, min(bits, 3))]


def _conv(rng, bits, depthwise):
    g = Graph()
    cin, cout = (4, 4) if depthwise else (3, 5)
    x = g.input((1, 5, 5, cin), np.int8, 0.05, 1)
    wshape = (1, 3, 3, cout) if depthwise else (cout, 3, 3, cin)
    axis = 3 if depthwise else 0
    w = g.tensor(wshape, np.int8,
                 data=_levels(rng, wshape, bits, -127, 127, axis))
    _per_channel(g, w, rng.uniform(0.002, 0.01, cout), axis)
    b = g.tensor((cout,), np.int32, 0.0001, 0,
                 rng.integers(-2000, 2000, cout))
    y = g.output((1, 5, 5, cout), np.int8, 0.1, 0)
    if depthwise:
        opts = S.DepthwiseConv2DOptionsT()
        opts.depthMultiplier = 1
        code, otype = (S.BuiltinOperator.DEPTHWISE_CONV_2D,
                       S.BuiltinOptions.DepthwiseConv2DOptions)
    else:
        opts = S.Conv2DOptionsT()
        code, otype = S.BuiltinOperator.CONV_2D, S.BuiltinOptions.Conv2DOptions
    opts.padding, opts.strideW, opts.strideH = S.Padding.SAME, 1, 1
    opts.dilationWFactor = opts.dilationHFactor = 1
    _op(g, code, [x, w, b], [y], otype, opts)
    return g.write(), [_lut(w, bits, axis)]


def _binary(rng, bits, dtype, code, opts_type, opts, shape=(2, 3, 4)):
    g = Graph()
    quant = {np.int16: (0.001, 0), np.int8: (0.05, 0)}.get(dtype)
    qargs = quant if quant else ()
    x = g.input(shape, dtype, *qargs)
    if dtype == np.float32:
        vals = _levels(rng, shape, bits, -40, 40) / 8.0
    else:
        lo, hi = (-2000, 2000) if dtype != np.int64 else (-10**6, 10**6)
        vals = _levels(rng, shape, bits, lo, hi)
    c = g.tensor(shape, dtype, *qargs, data=vals)
    y = g.output(shape, dtype, *((2 * quant[0], 0) if quant else ()))
    _op(g, code, [x, c], [y], opts_type, opts)
    return g.write(), [_lut(c, bits)]


def _models():
    rng = np.random.default_rng(31)
    add = (S.BuiltinOperator.ADD, S.BuiltinOptions.AddOptions,
           S.AddOptionsT())
    for bits in range(1, 8):
        yield f"decode_fc_w{bits}", _fc(rng, bits, 6, 20 + bits, 2)
    yield "decode_fc_wide", _fc(rng, 4, 33, 70, 1)
    for bits in (2, 3, 4, 7):
        yield f"decode_conv_w{bits}", _conv(rng, bits, False)
        yield f"decode_depthwise_w{bits}", _conv(rng, bits, True)
    for bits, dt in ((3, np.float32), (5, np.float32), (4, np.int16),
                     (6, np.int32), (1, np.int8)):
        yield (f"decode_add_{np.dtype(dt).name}_w{bits}",
               _binary(rng, bits, dt, *add))
    yield "decode_maximum_int64_w2", _binary(
        rng, 2, np.int64, S.BuiltinOperator.MAXIMUM,
        S.BuiltinOptions.MaximumMinimumOptions, S.MaximumMinimumOptionsT())


def rejects():
    """(name, model bytes, fragment of the one-line error xai must give)."""
    rng = np.random.default_rng(7)
    data, specs = _binary(rng, 3, np.int32, S.BuiltinOperator.ADD,
                          S.BuiltinOptions.AddOptions, S.AddOptionsT())
    good = _compressed(data, specs)
    m = S.ModelT.InitFromPackedBuf(good, 0)
    sg = m.subgraphs[0]
    dec = next(o for o in sg.operators
               if m.operatorCodes[o.opcodeIndex].customCode == b"TFLM_DECODE"
               or m.operatorCodes[o.opcodeIndex].customCode == "TFLM_DECODE")
    anc = m.buffers[sg.tensors[dec.inputs[1]].buffer]
    enc = m.buffers[sg.tensors[dec.inputs[0]].buffer]

    def variant(edit):
        import copy
        import flatbuffers
        mm = copy.deepcopy(m)
        s2 = mm.subgraphs[0]
        enc_t, anc_t = s2.tensors[dec.inputs[0]], s2.tensors[dec.inputs[1]]
        edit(mm.buffers[anc_t.buffer], mm.buffers[enc_t.buffer], enc_t, anc_t)
        fb = flatbuffers.Builder(1024)
        fb.Finish(mm.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())

    def set_byte(i, v):
        def edit(a, e, et, at):
            a.data = list(a.data)
            a.data[i] = v
        return edit

    assert anc.data is not None and enc.data is not None
    yield "decode_huffman", variant(set_byte(0, 1)), "Huffman"
    yield "decode_version", variant(set_byte(1, 2)), "version 2"
    yield "decode_lut_version", variant(set_byte(4, 3)), "LUT version 3"
    yield "decode_stride", variant(set_byte(6, 1)), "past the 1 values"
    yield "decode_width", variant(set_byte(5, 0xF8)), "index width 0"

    def short_stream(a, e, et, at):
        e.data = list(e.data)[:2]
        et.shape = [2]
    yield "decode_short", variant(short_stream), "indices of 3 bits need"

    def short_table(a, e, et, at):
        a.data = list(a.data)[:20]
        at.shape = [20]
    yield "decode_table", variant(short_table), "the header and"


def _compressed(data, specs):
    """compress() without its notes on stderr (wider indices than the
    values need, tables larger than the tensor: both on purpose here)."""
    import contextlib
    import io
    import warnings
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        return bytes(compress(data, specs))


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    n = 0
    for name, (data, specs) in _models():
        out = _compressed(data, specs)
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(out)
        n += 1
    return n
