"""One single-op model per (builtin, tensor type) for the type walk
(oracle_type_walk.py): every builtin of the TFLite schema with a template
here, in float32, int8, int16, int32, int64, bool and uint8. A template
gives the op's tensors for a type T: data inputs (model inputs), constant
inputs (shapes, axes, weights) and outputs, plus its options. int8/int16
tensors are quantized (int16 with zero point 0); a template may pin an
output's quantization where TFLite requires one. Combinations that make
no sense for an op are still built: TFLite Micro's interpreter decides
which it runs, and the walk checks xai on exactly those."""
import numpy as np
import flatbuffers

from tflite_micro.tensorflow.lite.micro.python import (
    schema_py_generated as S)

TYPES = ["float32", "int8", "int16", "int32", "int64", "bool", "uint8"]
_NP = {"float32": np.float32, "int8": np.int8, "int16": np.int16,
       "int32": np.int32, "int64": np.int64, "bool": np.bool_,
       "uint8": np.uint8}
_TT = {"float32": S.TensorType.FLOAT32, "int8": S.TensorType.INT8,
       "int16": S.TensorType.INT16, "int32": S.TensorType.INT32,
       "int64": S.TensorType.INT64, "bool": S.TensorType.BOOL,
       "uint8": S.TensorType.UINT8}
_QUANT = {"int8": (0.05, 3), "int16": (0.001, 0), "uint8": (0.05, 128)}


def _opts(name, **fields):
    """(BuiltinOptions union type, options object) of schema class NAME."""
    obj = getattr(S, name + "T")()
    for k, v in fields.items():
        setattr(obj, k, v)
    return getattr(S.BuiltinOptions, name), obj


class Model:
    def __init__(self):
        self.tensors, self.buffers = [], [b""]
        self.inputs, self.op_inputs, self.outputs = [], [], []

    def _tensor(self, shape, t, data=None, quant=None):
        x = S.TensorT()
        x.shape, x.type, x.name = list(shape), _TT[t], f"t{len(self.tensors)}"
        x.buffer = 0
        q = quant if quant is not None else _QUANT.get(t)
        if q:
            x.quantization = S.QuantizationParametersT()
            x.quantization.scale = [float(q[0])]
            x.quantization.zeroPoint = [int(q[1])]
        if data is not None:
            arr = np.asarray(data, dtype=_NP[t]).reshape(shape)
            self.buffers.append(np.ascontiguousarray(arr).tobytes())
            x.buffer = len(self.buffers) - 1
        self.tensors.append(x)
        return len(self.tensors) - 1

    def inp(self, shape, t, quant=None):
        k = self._tensor(shape, t, quant=quant)
        self.inputs.append(k)
        self.op_inputs.append(k)

    def const(self, shape, t, data, quant=None):
        self.op_inputs.append(self._tensor(shape, t, data, quant))

    def absent(self):
        self.op_inputs.append(-1)

    def var(self, shape, t, quant=None):
        k = self._tensor(shape, t, quant=quant)
        self.tensors[k].isVariable = True
        self.op_inputs.append(k)

    def out(self, shape, t, quant=None):
        self.outputs.append(self._tensor(shape, t, quant=quant))

    def write(self, code, options):
        c = S.OperatorCodeT()
        c.builtinCode, c.version = code, 1
        c.deprecatedBuiltinCode = min(code, 127)
        o = S.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = 0, self.op_inputs, self.outputs
        if options:
            o.builtinOptionsType, o.builtinOptions = options
        sg = S.SubGraphT()
        sg.tensors, sg.operators = self.tensors, [o]
        sg.inputs, sg.outputs = self.inputs, self.outputs
        m = S.ModelT()
        m.version, m.description = 3, "xai type walk"
        m.operatorCodes, m.subgraphs = [c], [sg]
        m.buffers = []
        for data in self.buffers:
            b = S.BufferT()
            b.data = list(data) if data else None
            m.buffers.append(b)
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


SH = [2, 3, 4]
Q = {"int8": (1 / 256, -128), "int16": (1 / 32768, 0)}  # [0, 1) outputs


def _vals(t, n, lo=-3, hi=3):
    rng = np.random.default_rng(n)
    if t == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if t == "float32":
        return rng.uniform(lo, hi, n).astype(np.float32)
    return rng.integers(lo if t != "uint8" else 0, hi + 1, n)


def unary(m, t, opts=None, out_t=None, out_q=None):
    m.inp(SH, t)
    m.out(SH, out_t or t, out_q)
    return opts


def binary(m, t, opts=None, out_t=None):
    m.inp(SH, t)
    m.inp(SH, t)
    m.out(SH, out_t or t)
    return opts


def reduce(m, t, name="ReducerOptions"):
    m.inp(SH, t)
    m.const([1], "int32", [1])
    m.out([2, 4], t)
    return _opts(name, keepDims=False)


def conv(m, t, depthwise=False):
    w_t = "float32" if t == "float32" else "int8"
    b_t = {"float32": "float32", "int16": "int64"}.get(t, "int32")
    m.inp([1, 5, 5, 3], t)
    oc = 3 if depthwise else 4
    fshape = [1, 3, 3, 3] if depthwise else [4, 3, 3, 3]
    m.const(fshape, w_t, _vals(w_t, int(np.prod(fshape))),
            (0.02, 0) if w_t == "int8" else None)
    m.const([oc], b_t, _vals(b_t, oc, -50, 50),
            (0.05 * 0.02 if t == "int8" else 0.001 * 0.02, 0)
            if b_t != "float32" else None)
    m.out([1, 3, 3, oc], t)
    if depthwise:
        return _opts("DepthwiseConv2DOptions", padding=S.Padding.VALID,
                     strideW=1, strideH=1, depthMultiplier=1,
                     dilationWFactor=1, dilationHFactor=1)
    return _opts("Conv2DOptions", padding=S.Padding.VALID, strideW=1,
                 strideH=1, dilationWFactor=1, dilationHFactor=1)


def fully_connected(m, t):
    w_t = "float32" if t == "float32" else "int8"
    b_t = {"float32": "float32", "int16": "int64"}.get(t, "int32")
    m.inp([2, 6], t)
    m.const([5, 6], w_t, _vals(w_t, 30), (0.02, 0) if w_t == "int8" else None)
    m.const([5], b_t, _vals(b_t, 5, -50, 50),
            (0.001, 0) if b_t != "float32" else None)
    m.out([2, 5], t)
    return _opts("FullyConnectedOptions")


def transpose_conv(m, t):
    w_t = "float32" if t == "float32" else "int8"
    b_t = {"float32": "float32", "int16": "int64"}.get(t, "int32")
    m.const([4], "int32", [1, 6, 6, 2])
    m.const([2, 2, 2, 3], w_t, _vals(w_t, 24),
            (0.02, 0) if w_t == "int8" else None)
    m.inp([1, 3, 3, 3], t)
    m.const([2], b_t, _vals(b_t, 2, -50, 50),
            (0.001, 0) if b_t != "float32" else None)
    m.out([1, 6, 6, 2], t)
    return _opts("TransposeConvOptions", padding=S.Padding.SAME, strideW=2,
                 strideH=2)


def pool(m, t):
    m.inp([1, 4, 4, 2], t)
    m.out([1, 2, 2, 2], t)
    return _opts("Pool2DOptions", padding=S.Padding.VALID, strideW=2,
                 strideH=2, filterWidth=2, filterHeight=2)


def svdf(m, t):
    w_t = "float32" if t == "float32" else "int8"
    m.inp([2, 3], t)
    m.const([4, 3], w_t, _vals(w_t, 12), (0.02, 0) if w_t == "int8" else None)
    m.const([4, 5], "int16" if t == "int8" else w_t, _vals(w_t, 20),
            (0.001, 0) if w_t == "int8" else None)
    m.const([4], "float32" if t == "float32" else "int32", _vals("int32", 4))
    m.var([2, 20], "int16" if t == "int8" else t,
          (0.001, 0) if t == "int8" else None)
    m.out([2, 4], t)
    return _opts("SVDFOptions", rank=1)


def lstm(m, t):
    """UNIDIRECTIONAL_SEQUENCE_LSTM without peephole/projection/norm."""
    w_t = "float32" if t == "float32" else "int8"
    # 16x8 takes int64 biases (TFLM reads them as int64 whatever the type).
    b_t = {"float32": "float32", "int16": "int64"}.get(t, "int32")
    n_in, n_cell, wq = 3, 4, (0.02, 0) if w_t == "int8" else None
    m.inp([2, 2, n_in], t)  # batch-major [batch, time, input]
    for _ in range(4):
        m.const([n_cell, n_in], w_t, _vals(w_t, n_cell * n_in), wq)
    for _ in range(4):
        m.const([n_cell, n_cell], w_t, _vals(w_t, n_cell * n_cell), wq)
    for _ in range(3):
        m.absent()  # peepholes
    for _ in range(4):
        m.const([n_cell], b_t, _vals(b_t, n_cell, -5, 5),
                (0.0001, 0) if b_t in ("int32", "int64") else None)
    m.absent()  # projection weights
    m.absent()  # projection bias
    m.var([2, n_cell], t, (1 / 128, 0) if t == "int8" else None)
    m.var([2, n_cell], "int16" if t == "int8" else t,
          (1 / 2048, 0) if t in ("int8", "int16") else None)
    for _ in range(4):
        m.absent()  # layer norm
    m.out([2, 2, n_cell], t, (1 / 128, 0) if t == "int8" else None)
    return _opts("UnidirectionalSequenceLSTMOptions",
                 fusedActivationFunction=S.ActivationFunctionType.TANH,
                 timeMajor=False)


def gather(m, t):
    m.inp([4, 3], t)
    m.const([2], "int32", [3, 0])
    m.out([2, 3], t)
    return _opts("GatherOptions", axis=0)


def slice_(m, t):
    m.inp(SH, t)
    m.const([3], "int32", [0, 1, 1])
    m.const([3], "int32", [2, 2, 2])
    m.out([2, 2, 2], t)
    return _opts("SliceOptions")


def strided_slice(m, t):
    m.inp(SH, t)
    m.const([3], "int32", [0, 1, 0])
    m.const([3], "int32", [2, 3, 4])
    m.const([3], "int32", [1, 1, 2])
    m.out([2, 2, 2], t)
    return _opts("StridedSliceOptions")


def concat(m, t):
    m.inp(SH, t)
    m.inp(SH, t)
    m.out([2, 3, 8], t)
    return _opts("ConcatenationOptions", axis=2)


def pack(m, t):
    m.inp(SH, t)
    m.inp(SH, t)
    m.out([2, 2, 3, 4], t)
    return _opts("PackOptions", valuesCount=2, axis=0)


def unpack(m, t):
    m.inp(SH, t)
    m.out([3, 4], t)
    m.out([3, 4], t)
    return _opts("UnpackOptions", num=2, axis=0)


def split(m, t):
    m.const([], "int32", [2])
    m.inp(SH, t)
    m.out([2, 3, 2], t)
    m.out([2, 3, 2], t)
    return _opts("SplitOptions", numSplits=2)


def split_v(m, t):
    m.inp(SH, t)
    m.const([2], "int32", [1, 3])
    m.const([], "int32", [2])
    m.out([2, 3, 1], t)
    m.out([2, 3, 3], t)
    return _opts("SplitVOptions", numSplits=2)


def pad(m, t, v2=False, mirror=False):
    m.inp(SH, t)
    m.const([3, 2], "int32", [0, 0, 1, 1, 1, 0])
    if v2:
        m.const([], t, _vals(t, 1)[:1])
    m.out([2, 5, 5], t)
    if mirror:
        return _opts("MirrorPadOptions", mode=S.MirrorPadMode.REFLECT)
    return _opts("PadV2Options" if v2 else "PadOptions")


def transpose(m, t):
    m.inp(SH, t)
    m.const([3], "int32", [2, 0, 1])
    m.out([4, 2, 3], t)
    return _opts("TransposeOptions")


def reshape(m, t):
    m.inp(SH, t)
    m.const([2], "int32", [6, 4])
    m.out([6, 4], t)
    return _opts("ReshapeOptions", newShape=[6, 4])


def resize(m, t, bilinear):
    m.inp([1, 3, 4, 2], t)
    m.const([2], "int32", [5, 7])
    m.out([1, 5, 7, 2], t)
    return _opts("ResizeBilinearOptions" if bilinear
                 else "ResizeNearestNeighborOptions")


def arg(m, t, name):
    m.inp(SH, t)
    m.const([1], "int32", [2])
    m.out([2, 3], "int32")
    return _opts(name, outputType=S.TensorType.INT32)


def space_batch(m, t, to_batch):
    if to_batch:
        m.inp([1, 4, 4, 1], t)
        m.const([2], "int32", [2, 2])
        m.const([2, 2], "int32", [0, 0, 0, 0])
        m.out([4, 2, 2, 1], t)
        return _opts("SpaceToBatchNDOptions")
    m.inp([4, 2, 2, 1], t)
    m.const([2], "int32", [2, 2])
    m.const([2, 2], "int32", [0, 0, 0, 0])
    m.out([1, 4, 4, 1], t)
    return _opts("BatchToSpaceNDOptions")


def depth_space(m, t, to_depth):
    if to_depth:
        m.inp([1, 4, 4, 2], t)
        m.out([1, 2, 2, 8], t)
        return _opts("SpaceToDepthOptions", blockSize=2)
    m.inp([1, 2, 2, 8], t)
    m.out([1, 4, 4, 2], t)
    return _opts("DepthToSpaceOptions", blockSize=2)


def select_v2(m, t):
    m.inp(SH, "bool")
    m.inp(SH, t)
    m.inp(SH, t)
    m.out(SH, t)
    return _opts("SelectV2Options")


def fill(m, t):
    m.const([2], "int32", [2, 3])
    m.inp([], t)
    m.out([2, 3], t)
    return _opts("FillOptions")


def broadcast_to(m, t):
    m.inp([1, 4], t)
    m.const([2], "int32", [3, 4])
    m.out([3, 4], t)
    return _opts("BroadcastToOptions")


def broadcast_args(m, t):
    m.inp([2], t)
    m.inp([2], t)
    m.out([2], t)
    return None


def cumsum(m, t):
    m.inp(SH, t)
    m.const([], "int32", [1])
    m.out(SH, t)
    return _opts("CumsumOptions")


def add_n(m, t):
    for _ in range(3):
        m.inp(SH, t)
    m.out(SH, t)
    return _opts("AddNOptions")


def expand_dims(m, t):
    m.inp(SH, t)
    m.const([], "int32", [0])
    m.out([1, 2, 3, 4], t)
    return _opts("ExpandDimsOptions")


def squeeze(m, t):
    m.inp([2, 1, 4], t)
    m.out([2, 4], t)
    return _opts("SqueezeOptions", squeezeDims=[1])


def shape(m, t):
    m.inp(SH, t)
    m.out([3], "int32")
    return _opts("ShapeOptions", outType=S.TensorType.INT32)


def gather_nd(m, t):
    m.inp([3, 4], t)
    m.const([2, 1], "int32", [2, 0])
    m.out([2, 4], t)
    return _opts("GatherNdOptions")


def embedding_lookup(m, t):
    m.const([2], "int32", [1, 0])
    m.inp([3, 4], t)
    m.out([2, 4], t)
    return None


def dynamic_update_slice(m, t):
    m.inp(SH, t)
    m.inp([1, 2, 2], t)
    m.const([3], "int32", [1, 0, 1])
    m.out(SH, t)
    return _opts("DynamicUpdateSliceOptions")


def reverse(m, t):
    m.inp(SH, t)
    m.const([1], "int32", [1])
    m.out(SH, t)
    return _opts("ReverseV2Options")


def batch_matmul(m, t):
    m.inp([2, 3, 4], t)
    m.inp([2, 4, 5], t)
    m.out([2, 3, 5], t)
    return _opts("BatchMatMulOptions")


def prelu(m, t):
    m.inp(SH, t)
    m.const([4], t, _vals(t, 4))
    m.out(SH, t)
    return None


def quantize(m, t):
    m.inp(SH, t, (0.01, 0) if t == "int32" else None)
    m.out(SH, "int8")
    return None


def dequantize(m, t):
    m.inp(SH, t)
    m.out(SH, "float32")
    return None


def cast(m, t):
    m.inp(SH, t)
    m.out(SH, "float32" if t != "float32" else "int32")
    return None


def softmax_like(m, t, name):
    m.inp(SH, t)
    m.out(SH, t, Q.get(t) if name == "SoftmaxOptions" else
          ((16 / 256, 127) if t == "int8" else None))
    return _opts(name, beta=1.0) if name == "SoftmaxOptions" else _opts(name)


def _u(**kw):
    return lambda m, t: unary(m, t, **kw)


def _b(**kw):
    return lambda m, t: binary(m, t, **kw)


# Builtin name -> template(model, type) -> options.
TEMPLATES = {
    "ABS": _u(), "CEIL": _u(), "COS": _u(), "EXP": _u(), "FLOOR": _u(),
    "LOG": _u(), "NEG": _u(), "ROUND": _u(), "RSQRT": _u(), "SIN": _u(),
    "SQRT": _u(), "SQUARE": _u(), "ELU": _u(), "HARD_SWISH": _u(),
    "RELU": _u(), "RELU6": _u(), "RELU_N1_TO_1": _u(), "RELU_0_TO_1": _u(),
    "ZEROS_LIKE": _u(), "LOGICAL_NOT": _u(),
    "LOGISTIC": _u(out_q=None), "TANH": _u(),
    "LEAKY_RELU": lambda m, t: unary(m, t, _opts("LeakyReluOptions", alpha=0.2)),
    "GELU": lambda m, t: unary(m, t, _opts("GeluOptions")),
    "SIGN": _u(),
    "ADD": lambda m, t: binary(m, t, _opts("AddOptions")),
    "SUB": lambda m, t: binary(m, t, _opts("SubOptions")),
    "MUL": lambda m, t: binary(m, t, _opts("MulOptions")),
    "DIV": lambda m, t: binary(m, t, _opts("DivOptions")),
    "FLOOR_DIV": _b(), "FLOOR_MOD": _b(), "SQUARED_DIFFERENCE": _b(),
    "MAXIMUM": _b(), "MINIMUM": _b(), "POW": _b(),
    "LOGICAL_AND": _b(), "LOGICAL_OR": _b(),
    "EQUAL": _b(out_t="bool"), "NOT_EQUAL": _b(out_t="bool"),
    "GREATER": _b(out_t="bool"), "GREATER_EQUAL": _b(out_t="bool"),
    "LESS": _b(out_t="bool"), "LESS_EQUAL": _b(out_t="bool"),
    "SOFTMAX": lambda m, t: softmax_like(m, t, "SoftmaxOptions"),
    "LOG_SOFTMAX": lambda m, t: softmax_like(m, t, "LogSoftmaxOptions"),
    "L2_NORMALIZATION": lambda m, t: unary(
        m, t, _opts("L2NormOptions"), out_q=(1 / 128, 0) if t == "int8" else None),
    "MEAN": reduce, "SUM": reduce, "REDUCE_MAX": reduce, "REDUCE_MIN": reduce,
    "REDUCE_PROD": reduce,
    "CONV_2D": conv, "DEPTHWISE_CONV_2D": lambda m, t: conv(m, t, True),
    "FULLY_CONNECTED": fully_connected, "TRANSPOSE_CONV": transpose_conv,
    "AVERAGE_POOL_2D": pool, "MAX_POOL_2D": pool, "L2_POOL_2D": pool,
    "SVDF": svdf, "UNIDIRECTIONAL_SEQUENCE_LSTM": lstm,
    "GATHER": gather, "GATHER_ND": gather_nd, "SLICE": slice_,
    "STRIDED_SLICE": strided_slice, "CONCATENATION": concat, "PACK": pack,
    "UNPACK": unpack, "SPLIT": split, "SPLIT_V": split_v, "PAD": pad,
    "PADV2": lambda m, t: pad(m, t, v2=True),
    "MIRROR_PAD": lambda m, t: pad(m, t, mirror=True),
    "TRANSPOSE": transpose, "RESHAPE": reshape, "SQUEEZE": squeeze,
    "EXPAND_DIMS": expand_dims, "SHAPE": shape,
    "RESIZE_BILINEAR": lambda m, t: resize(m, t, True),
    "RESIZE_NEAREST_NEIGHBOR": lambda m, t: resize(m, t, False),
    "ARG_MAX": lambda m, t: arg(m, t, "ArgMaxOptions"),
    "ARG_MIN": lambda m, t: arg(m, t, "ArgMinOptions"),
    "SPACE_TO_BATCH_ND": lambda m, t: space_batch(m, t, True),
    "BATCH_TO_SPACE_ND": lambda m, t: space_batch(m, t, False),
    "SPACE_TO_DEPTH": lambda m, t: depth_space(m, t, True),
    "DEPTH_TO_SPACE": lambda m, t: depth_space(m, t, False),
    "SELECT_V2": select_v2, "FILL": fill, "BROADCAST_TO": broadcast_to,
    "BROADCAST_ARGS": broadcast_args, "CUMSUM": cumsum, "ADD_N": add_n,
    "EMBEDDING_LOOKUP": embedding_lookup,
    "DYNAMIC_UPDATE_SLICE": dynamic_update_slice, "REVERSE_V2": reverse,
    "BATCH_MATMUL": batch_matmul, "PRELU": prelu, "QUANTIZE": quantize,
    "DEQUANTIZE": dequantize, "CAST": cast,
}


def builtin_codes():
    """{name: code} of every builtin in the schema."""
    return {n: getattr(S.BuiltinOperator, n)
            for n in dir(S.BuiltinOperator) if n.isupper()}


def build(name, t):
    """The model bytes of builtin NAME in type t, or None (no template)."""
    tmpl = TEMPLATES.get(name)
    if tmpl is None:
        return None
    m = Model()
    opts = tmpl(m, t)
    return m.write(builtin_codes()[name], opts)


def build_generic(name, t):
    """A one-input, one-output model of builtin NAME: enough for TFLite
    Micro to say whether it registers the op at all."""
    m = Model()
    unary(m, t)
    return m.write(builtin_codes()[name], None)
