"""Single-op recurrent models for oracle_tflm_custom.py --module
recurrent_models: UNIDIRECTIONAL_SEQUENCE_LSTM in int16 (16x8: int8
weights, int64 biases, int16 states) and float32, and float32 SVDF, each in
several shapes (batch- and time-major, one and several batches and steps,
cell clip, every fused activation of SVDF, saturating weights). Their
states carry over between invokes, so the runner's several invokes in a
row check the state updates too. Deterministic."""
import os

import numpy as np

from tflite_micro.tensorflow.lite.micro.python import (
    schema_py_generated as S)
from tflm_custom_models import Graph

A = S.ActivationFunctionType


def _builtin(g, code, inputs, outputs, opts_type, opts):
    o = S.OperatorT()
    o.opcodeIndex = g._code(code)
    o.inputs, o.outputs = list(inputs), list(outputs)
    o.builtinOptionsType, o.builtinOptions = opts_type, opts
    g.ops.append(o)


def _variable(g, shape, dtype, scale=None):
    t = g.tensor(shape, dtype, scale)
    g.tensors[t].isVariable = True
    return t


def _lstm(rng, kind, batch, steps, n_in, n_cell, time_major, clip, wide):
    """kind "int16" or "float32"; wide: weights at the int8 extremes and
    large inputs, so gates and cell saturate."""
    g = Graph()
    shape = (steps, batch, n_in) if time_major else (batch, steps, n_in)
    if kind == "float32":
        x = g.input(shape, np.float32)
        w_scale = 1.5 if wide else 0.6

        def weights(rows, cols):
            return g.tensor((rows, cols), np.float32,
                            data=rng.uniform(-w_scale, w_scale, (rows, cols)))

        def bias():
            return g.tensor((n_cell,), np.float32,
                            data=rng.uniform(-1, 1, n_cell))
        h = _variable(g, (batch, n_cell), np.float32)
        c = _variable(g, (batch, n_cell), np.float32)
        out_args = (np.float32,)
    else:
        in_scale = 2.0 ** -12 if not wide else 2.0 ** -10
        x = g.input(shape, np.int16, in_scale, 0)
        h_scale = 2.0 ** -15
        w_scales = {}

        def weights(rows, cols, from_scale=in_scale):
            s = float(rng.uniform(0.004, 0.03 if wide else 0.012))
            lo, hi = (-127, 127) if wide else (-60, 60)
            data = rng.integers(lo, hi + 1, (rows, cols))
            t = g.tensor((rows, cols), np.int8, s, 0, data)
            w_scales[t] = s * from_scale
            return t

        def bias(w):
            return g.tensor((n_cell,), np.int64, w_scales[w], 0,
                            rng.integers(-20000, 20000, n_cell))
        h = _variable(g, (batch, n_cell), np.int16, h_scale)
        c = _variable(g, (batch, n_cell), np.int16, 2.0 ** -11)
        out_args = (np.int16, h_scale, 0)
    if kind == "float32":
        w_in = [weights(n_cell, n_in) for _ in range(4)]
        w_rec = [weights(n_cell, n_cell) for _ in range(4)]
        biases = [bias() for _ in range(4)]
    else:
        w_in = [weights(n_cell, n_in) for _ in range(4)]
        w_rec = [weights(n_cell, n_cell, h_scale) for _ in range(4)]
        biases = [bias(w) for w in w_in]
    out = g.output((shape[0], shape[1], n_cell), *out_args)
    inputs = [x] + w_in + w_rec + [-1] * 3 + biases + [-1, -1, h, c] + [-1] * 4
    opts = S.UnidirectionalSequenceLSTMOptionsT()
    opts.fusedActivationFunction = A.TANH
    opts.cellClip, opts.projClip, opts.timeMajor = clip, 0.0, time_major
    _builtin(g, S.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, inputs, [out],
             S.BuiltinOptions.UnidirectionalSequenceLSTMOptions, opts)
    return g.write()


def _svdf(rng, batch, n_in, filters, rank, memory, act):
    g = Graph()
    x = g.input((batch, n_in), np.float32)
    wf = g.tensor((filters, n_in), np.float32,
                  data=rng.uniform(-1, 1, (filters, n_in)))
    wt = g.tensor((filters, memory), np.float32,
                  data=rng.uniform(-1, 1, (filters, memory)))
    units = filters // rank
    b = g.tensor((units,), np.float32, data=rng.uniform(-2, 2, units))
    state = _variable(g, (batch, memory * filters), np.float32)
    out = g.output((batch, units), np.float32)
    opts = S.SVDFOptionsT()
    opts.rank, opts.fusedActivationFunction = rank, act
    _builtin(g, S.BuiltinOperator.SVDF, [x, wf, wt, b, state], [out],
             S.BuiltinOptions.SVDFOptions, opts)
    return g.write()


def _models():
    rng = np.random.default_rng(21)
    # (batch, steps, inputs, cells, time major, cell clip, wide)
    lstm_cases = [(1, 1, 3, 4, False, 0.0, False),
                  (2, 3, 5, 4, False, 0.0, False),
                  (3, 2, 4, 6, True, 0.0, False),
                  (1, 5, 8, 8, False, 1.5, False),
                  (2, 4, 6, 5, True, 0.75, True),
                  (2, 2, 16, 12, False, 0.0, True),
                  (4, 1, 2, 3, True, 0.0, False)]
    for kind in ("int16", "float32"):
        for i, case in enumerate(lstm_cases):
            yield f"lstm_{kind}_{i}", _lstm(rng, kind, *case)
    # (batch, inputs, filters, rank, memory, activation)
    svdf_cases = [(1, 3, 4, 1, 5, A.NONE), (2, 5, 6, 2, 3, A.RELU),
                  (3, 8, 8, 1, 10, A.RELU6), (1, 4, 9, 3, 4, A.TANH),
                  (2, 6, 4, 1, 1, A.RELU_N1_TO_1), (2, 16, 12, 4, 8, A.NONE)]
    for i, case in enumerate(svdf_cases):
        yield f"svdf_float32_{i}", _svdf(rng, *case)


def rejects():
    """(name, model bytes, fragment of the one-line error xai must give)."""
    rng = np.random.default_rng(5)
    g = Graph()
    x = g.input((1, 3), np.float32)
    wf = g.tensor((4, 3), np.float32, data=rng.uniform(-1, 1, (4, 3)))
    wt = g.tensor((4, 2), np.float32, data=rng.uniform(-1, 1, (4, 2)))
    state = _variable(g, (1, 8), np.float32)
    out = g.output((1, 4), np.float32)
    opts = S.SVDFOptionsT()
    opts.rank = 1
    _builtin(g, S.BuiltinOperator.SVDF, [x, wf, wt, -1, state], [out],
             S.BuiltinOptions.SVDFOptions, opts)
    yield "svdf_float_no_bias", g.write(), "needs its bias"


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    n = 0
    for name, data in _models():
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(data)
        n += 1
    return n
