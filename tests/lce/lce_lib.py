"""Shared pieces of the Larq Compute Engine tests: importing the LCE
interpreter without TensorFlow, and a small TFLite model builder for
models with the LCE custom ops (LceQuantize, LceDequantize, LceBconv2d,
LceBMaxPool2d) whose options are flexbuffer maps as LCE's converter writes
them."""
import importlib.util
import os
import sys
import types

SKIP = 77


def lce_modules():
    """(tflite_schema, Interpreter) from larq-compute-engine. The package's
    __init__ imports the converter, which needs TensorFlow; the interpreter
    and the schema do not, so the package is registered as a bare namespace
    and only those two modules are imported."""
    if "larq_compute_engine" not in sys.modules:
        spec = importlib.util.find_spec("larq_compute_engine")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("larq-compute-engine is not installed")
        pkg = types.ModuleType("larq_compute_engine")
        pkg.__path__ = list(spec.submodule_search_locations)
        sys.modules["larq_compute_engine"] = pkg
    from larq_compute_engine.mlir.python import tflite_schema as schema
    from larq_compute_engine.tflite.python.interpreter import Interpreter
    return schema, Interpreter


def import_or_skip():
    try:
        import numpy  # noqa: F401
        from flatbuffers import flexbuffers  # noqa: F401
        return lce_modules()
    except ImportError as e:
        print(f"skipping: LCE oracle not importable ({e}); run scripts/setup.sh")
        sys.exit(SKIP)


# TFLite enums the LCE options use (schema.fbs): Padding, ActivationFunctionType
SAME, VALID = 0, 1
ACT_NONE, ACT_RELU, ACT_RELU_N1_TO_1, ACT_RELU6 = 0, 1, 2, 3


def packed(n):
    return (n + 31) // 32


class Net:
    """One-subgraph TFLite model under construction."""

    def __init__(self):
        self.schema, _ = lce_modules()
        import numpy as np
        self.np = np
        self.tensors, self.buffers, self.ops, self.codes = [], [b""], [], []
        self.inputs, self.outputs = [], []

    def tensor(self, shape, dtype, data=None, scale=None, zp=0, name=None):
        S, np = self.schema, self.np
        t = S.TensorT()
        t.shape = list(shape)
        t.type = {np.float32: S.TensorType.FLOAT32, np.int8: S.TensorType.INT8,
                  np.int32: S.TensorType.INT32}[dtype]
        t.name = name or f"t{len(self.tensors)}"
        t.buffer = 0
        if data is not None:
            arr = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape))
            self.buffers.append(arr.tobytes())
            t.buffer = len(self.buffers) - 1
        if scale is not None:
            q = S.QuantizationParametersT()
            q.scale = [float(scale)]
            q.zeroPoint = [int(zp)]
            t.quantization = q
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, shape, dtype, scale=None, zp=0):
        t = self.tensor(shape, dtype, scale=scale, zp=zp)
        self.inputs.append(t)
        return t

    def op(self, code, inputs, outputs, options=None, builtin=None):
        S = self.schema
        key = (code, builtin)
        if key not in self.codes:
            self.codes.append(key)
        o = S.OperatorT()
        o.opcodeIndex = self.codes.index(key)
        o.inputs, o.outputs = list(inputs), list(outputs)
        if options is not None:
            from flatbuffers import flexbuffers
            o.customOptions = list(flexbuffers.Dumps(options))
            o.customOptionsFormat = S.CustomOptionsFormat.FLEXBUFFERS
        self.ops.append(o)
        return outputs[0]

    def builtin(self, code, inputs, outputs, opt_type=None, opt=None):
        self.op(None, inputs, outputs, builtin=code)
        o = self.ops[-1]
        if opt is not None:
            o.builtinOptionsType, o.builtinOptions = opt_type, opt
        return outputs[0]

    def finish(self, outputs):
        import flatbuffers
        S = self.schema
        self.outputs = list(outputs)
        m = S.ModelT()
        m.version = 3
        m.description = "xai LCE test model"
        for code, builtin in self.codes:
            c = S.OperatorCodeT()
            if code is not None:
                c.builtinCode = c.deprecatedBuiltinCode = S.BuiltinOperator.CUSTOM
                c.customCode = code
            else:
                c.builtinCode = builtin
                c.deprecatedBuiltinCode = min(builtin, 127)
            c.version = 1
            m.operatorCodes = (m.operatorCodes or []) + [c]
        sg = S.SubGraphT()
        sg.tensors, sg.operators = self.tensors, self.ops
        sg.inputs, sg.outputs = self.inputs, self.outputs
        m.subgraphs = [sg]
        bufs = []
        for data in self.buffers:
            b = S.BufferT()
            b.data = list(data) if data else None
            bufs.append(b)
        m.buffers = bufs
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


# ---- LCE ops ---------------------------------------------------------------

def quantize(net, x, shape, rank_last=None):
    """LceQuantize of tensor x (shape) -> bitpacked int32."""
    np = net.np
    out_shape = list(shape[:-1]) + [packed(shape[-1])]
    y = net.tensor(out_shape, np.int32)
    return net.op("LceQuantize", [x], [y])


def dequantize(net, x, shape, dtype, scale=None, zp=0):
    y = net.tensor(shape, dtype, scale=scale, zp=zp)
    return net.op("LceDequantize", [x], [y])


def conv_out_hw(h, w, kh, kw, sh, sw, dh, dw, padding):
    eh, ew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if padding == SAME:
        return (h + sh - 1) // sh, (w + sw - 1) // sw
    return (h - eh + sh) // sh, (w - ew + sw) // sw


def random_filter(rng, cout, kh, kw, cin_group):
    """Bitpacked OHWI filter words with the padding bits zero, as LCE's
    converter writes them."""
    np = rng_np()
    words = packed(cin_group)
    f = rng.integers(0, 2**32, size=(cout, kh, kw, words), dtype=np.uint64)
    if cin_group % 32:
        mask = (1 << (cin_group % 32)) - 1
        f[..., -1] &= mask
    return f.astype(np.uint32).view(np.int32)


def rng_np():
    import numpy
    return numpy


def bconv(net, x, in_hw, cin, cout, k=(3, 3), stride=(1, 1), dilation=(1, 1),
          padding=SAME, pad_values=1, groups=1, act=ACT_NONE, out="float",
          out_scale=None, out_zp=0, rng=None, mult=None, bias=None,
          threshold=None, filt=None, opts_override=None):
    """LceBconv2d with post-activation multiplier/bias (float/int8 output)
    or output thresholds (bitpacked output). Returns (tensor, (h, w))."""
    np = net.np
    kh, kw = k
    oh, ow = conv_out_hw(in_hw[0], in_hw[1], kh, kw, stride[0], stride[1],
                         dilation[0], dilation[1], padding)
    cg = cin // groups
    if filt is None:
        filt = random_filter(rng, cout, kh, kw, cg)
    f = net.tensor([cout, kh, kw, packed(cg)], np.int32, data=filt)
    kdepth = kh * kw * cg
    if out == "bitpacked":
        if threshold is None:
            threshold = rng.integers(-2, kdepth + 2, size=cout)
        m = b = -1
        th = net.tensor([cout], np.int32, data=threshold)
        y = net.tensor([1, oh, ow, packed(cout)], np.int32)
    else:
        if mult is None:
            mult = rng.uniform(-1.5, 1.5, size=cout).astype(np.float32)
        if bias is None:
            bias = rng.uniform(-2.0, 2.0, size=cout).astype(np.float32) * kdepth ** 0.5
        m = net.tensor([cout], np.float32, data=mult)
        b = net.tensor([cout], np.float32, data=bias)
        th = -1
        if out == "int8":
            y = net.tensor([1, oh, ow, cout], np.int8, scale=out_scale, zp=out_zp)
        else:
            y = net.tensor([1, oh, ow, cout], np.float32)
    opts = {"channels_in": cin, "dilation_height_factor": dilation[0],
            "dilation_width_factor": dilation[1],
            "fused_activation_function": act, "pad_values": pad_values,
            "padding": padding, "stride_height": stride[0],
            "stride_width": stride[1]}
    for key, value in (opts_override or {}).items():
        if value is None:
            opts.pop(key, None)
        else:
            opts[key] = value
    net.op("LceBconv2d", [x, f, m, b, th], [y], opts)
    return y, (oh, ow)


def bmaxpool(net, x, in_hw, channels_packed, k=(2, 2), stride=(2, 2),
             padding=VALID):
    np = net.np
    oh, ow = conv_out_hw(in_hw[0], in_hw[1], k[0], k[1], stride[0], stride[1],
                         1, 1, padding)
    y = net.tensor([1, oh, ow, channels_packed], np.int32)
    opts = {"filter_height": k[0], "filter_width": k[1], "padding": padding,
            "stride_height": stride[0], "stride_width": stride[1]}
    net.op("LceBMaxPool2d", [x], [y], opts)
    return y, (oh, ow)


def lce_run(model, inputs, reference=True):
    """Outputs of the LCE interpreter (reference bconv kernel by default)."""
    _, Interpreter = lce_modules()
    it = Interpreter(model, num_threads=1, use_reference_bconv=reference)
    outs = it.predict(inputs if len(inputs) > 1 else inputs[0])
    return outs if isinstance(outs, list) else [outs]
