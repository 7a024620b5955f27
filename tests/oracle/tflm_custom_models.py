"""Models of TFLite Micro's custom ops outside its signal library, written
as NAME.tflite by write_all(dir) for oracle_tflm_custom.py. Deterministic.

BasicClassifier: int32 scores against constant or input thresholds.
CIRCULAR_BUFFER: alone (window and, optionally, its bool valid output) and
followed by a broadcast ADD of the window and the input, so an invoke that
TFLM ends early (kTfLiteAbort between strides) shows in the ADD's output
keeping its previous value. Names carry the hints the runner needs:
__cbS_C (S slots, a stride of C invokes, TFLM's guess where the model
gives no cycles_max), __valid (the bool output is there) and __add (the
ADD follows).
"""
import os

import numpy as np
import flatbuffers
from flatbuffers import flexbuffers

from tflite_micro.tensorflow.lite.micro.python import (
    schema_py_generated as S)

_TYPES = {np.int8: S.TensorType.INT8, np.uint8: S.TensorType.UINT8,
          np.int16: S.TensorType.INT16, np.int64: S.TensorType.INT64,
          np.float32: S.TensorType.FLOAT32, np.int32: S.TensorType.INT32,
          np.bool_: S.TensorType.BOOL}


class Graph:
    """One subgraph of builtin and custom ops, written as a TFLite model."""

    def __init__(self):
        self.tensors, self.buffers, self.ops, self.codes = [], [b""], [], []
        self.inputs, self.outputs = [], []

    def tensor(self, shape, dtype, scale=None, zp=0, data=None):
        t = S.TensorT()
        t.shape, t.type = list(shape), _TYPES[dtype]
        t.name, t.buffer = f"t{len(self.tensors)}", 0
        if scale is not None:
            q = S.QuantizationParametersT()
            q.scale, q.zeroPoint = [float(scale)], [int(zp)]
            t.quantization = q
        if data is not None:
            arr = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape))
            self.buffers.append(arr.tobytes())
            t.buffer = len(self.buffers) - 1
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, *a, **k):
        t = self.tensor(*a, **k)
        self.inputs.append(t)
        return t

    def output(self, *a, **k):
        t = self.tensor(*a, **k)
        self.outputs.append(t)
        return t

    def _code(self, builtin, custom=None):
        key = (builtin, custom)
        if key not in self.codes:
            self.codes.append(key)
        return self.codes.index(key)

    def custom(self, name, inputs, outputs, options):
        o = S.OperatorT()
        o.opcodeIndex = self._code(S.BuiltinOperator.CUSTOM, name)
        o.inputs, o.outputs = list(inputs), list(outputs)
        if options is not None:
            o.customOptions = list(flexbuffers.Dumps(options))
            o.customOptionsFormat = S.CustomOptionsFormat.FLEXBUFFERS
        self.ops.append(o)

    def add(self, a, b, out):
        o = S.OperatorT()
        o.opcodeIndex = self._code(S.BuiltinOperator.ADD)
        o.inputs, o.outputs = [a, b], [out]
        o.builtinOptionsType = S.BuiltinOptions.AddOptions
        o.builtinOptions = S.AddOptionsT()
        self.ops.append(o)

    def write(self):
        codes = []
        for builtin, custom in self.codes:
            c = S.OperatorCodeT()
            c.builtinCode = builtin
            c.deprecatedBuiltinCode = min(builtin, 127)
            c.customCode, c.version = custom, 1
            codes.append(c)
        sg = S.SubGraphT()
        sg.tensors, sg.operators = self.tensors, self.ops
        sg.inputs, sg.outputs = self.inputs, self.outputs
        m = S.ModelT()
        m.version, m.description = 3, "xai TFLM custom op test model"
        m.operatorCodes, m.subgraphs = codes, [sg]
        m.buffers = []
        for data in self.buffers:
            b = S.BufferT()
            b.data = list(data) if data else None
            m.buffers.append(b)
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


def _circular_buffer():
    # (slots, width, depth, cycles_max or None, valid output, then an ADD)
    cases = [(3, 1, 4, 1, False, False), (3, 1, 4, 2, True, False),
             (4, 2, 3, 3, True, False), (1, 1, 8, 2, True, False),
             (8, 1, 16, 2, False, True), (5, 1, 4, None, False, True),
             (4, 1, 4, None, True, True), (13, 1, 2, None, False, True),
             (6, 2, 5, 4, False, True), (3, 2, 96, 1, False, True),
             (25, 1, 3, None, True, False)]
    rng = np.random.default_rng(11)
    for i, (slots, w, d, cycles, valid, add) in enumerate(cases):
        g = Graph()
        s, z = float(rng.uniform(0.01, 0.2)), int(rng.integers(-20, 20))
        x = g.input((1, 1, w, d), np.int8, s, z)
        win = g.output((1, slots, w, d), np.int8, s, z)
        outs = [win]
        if valid:
            outs.append(g.output((1,), np.bool_))
        opts = {"cycles_max": cycles} if cycles is not None else None
        g.custom("CIRCULAR_BUFFER", [x], outs, opts)
        if add:
            y = g.output((1, slots, w, d), np.int8, 2 * s, z)
            g.add(win, x, y)
        period = cycles if cycles is not None else (
            1 if slots in (5, 13, 25) else 2)
        tag = (f"__cb{slots}_{period}" + ("__valid" if valid else "") +
               ("__add" if add else ""))
        yield f"circular_buffer_{i}{tag}", g.write()


def _detection_postprocess():
    # (boxes, classes, background column, max_detections, max classes per
    # detection, detections_per_class or None, regular NMS, score
    # threshold, IoU threshold, box encoding width)
    cases = [(6, 2, 1, 3, 1, None, False, 0.3, 0.5, 4),
             (20, 3, 1, 5, 1, None, False, 0.0, 0.6, 4),
             (40, 4, 0, 10, 1, None, False, 0.25, 0.45, 4),
             (16, 3, 1, 6, 1, 4, True, 0.3, 0.5, 4),
             (40, 5, 1, 10, 1, 3, True, 0.1, 0.6, 6),
             (30, 1, 1, 8, 1, None, True, 0.5, 1.0, 4),
             (64, 6, 1, 20, 1, 100, True, 0.2, 0.3, 4),
             (25, 2, 0, 4, 1, 2, True, 0.0, 0.5, 4),
             (64, 8, 1, 30, 1, None, False, 0.05, 0.5, 4),
             (12, 1, 1, 12, 1, None, False, 0.9, 0.5, 4),
             (30, 2, 1, 25, 1, None, False, 0.5, 0.2, 4),
             (30, 3, 1, 40, 1, 10, True, 0.6, 0.25, 4)]
    rng = np.random.default_rng(12)
    for i, (n, c, bg, max_det, mcpd, dpc, regular, score_t, iou_t,
            width) in enumerate(cases):
        g = Graph()
        enc = g.input((1, n, width), np.float32)
        cls = g.input((1, n, c + bg), np.float32)
        anchors = np.stack([rng.uniform(0.1, 0.9, n), rng.uniform(0.1, 0.9, n),
                            rng.uniform(0.05, 0.6, n), rng.uniform(0.05, 0.6, n)],
                           axis=1).astype(np.float32)
        if i % 3 == 0:  # grid anchors share centres: many overlapping boxes
            anchors[:, 0] = np.round(anchors[:, 0] * 4) / 4
            anchors[:, 1] = np.round(anchors[:, 1] * 4) / 4
        a = g.tensor((n, 4), np.float32, data=anchors)
        m = max_det * mcpd
        outs = [g.output((1, m, 4), np.float32), g.output((1, m), np.float32),
                g.output((1, m), np.float32), g.output((1,), np.float32)]
        opts = {"max_detections": max_det, "max_classes_per_detection": mcpd,
                "nms_score_threshold": score_t, "nms_iou_threshold": iou_t,
                "num_classes": c, "y_scale": 10.0, "x_scale": 10.0,
                "h_scale": 5.0, "w_scale": 5.0, "use_regular_nms": regular}
        if dpc is not None:
            opts["detections_per_class"] = dpc
        g.custom("TFLite_Detection_PostProcess", [enc, cls, a], outs, opts)
        tag = "__det" + ("" if regular else "__fast")
        yield f"detection_postprocess_{i}{tag}", g.write()


def _basic_classifier():
    # (scores shape, target indices, thresholds as a model input)
    cases = [((8,), [0, 3, 7], False), ((1, 10), [9, 0, 9, 4], False),
             ((1, 1), [0], True), ((16,), list(range(16)), True),
             ((1, 5), [2, 2, 1], False)]
    rng = np.random.default_rng(13)
    for i, (shape, targets, thr_input) in enumerate(cases):
        g = Graph()
        scores = g.input(shape, np.int32)
        n = len(targets)
        ix = g.tensor((n,), np.int32, data=targets)
        if thr_input:
            thr = g.input((n,), np.int32)
        else:  # around zero, and the int32 extremes (always / never)
            vals = rng.integers(-2**20, 2**20, n)
            vals[0] = np.iinfo(np.int32).min
            if n > 1:
                vals[-1] = np.iinfo(np.int32).max
            thr = g.tensor((n,), np.int32, data=vals)
        outs = [g.output((n,), np.bool_), g.output((n,), np.int32)]
        g.custom("BasicClassifier", [scores, ix, thr], outs, None)
        yield f"basic_classifier_{i}", g.write()


def rejects():
    """(name, model bytes, fragment of the one-line error xai must give)."""
    def cb(in_shape, out_shape, dtype=np.int8, opts=None):
        g = Graph()
        x = g.input(in_shape, dtype, 0.1, 0)
        g.custom("CIRCULAR_BUFFER", [x], [g.output(out_shape, dtype, 0.1, 0)],
                 opts)
        return g.write()

    def det(n=6, cols=3, opts=None, dtype=np.float32, rows=3):
        g = Graph()
        enc = g.input((1, n, 4), dtype, 0.1, 0)
        cls = g.input((1, n, cols), dtype, 0.1, 0)
        a = g.tensor((n, 4), np.float32,
                     data=np.tile([0.5, 0.5, 0.2, 0.2], (n, 1)))
        outs = [g.output((1, rows, 4), np.float32),
                g.output((1, rows), np.float32),
                g.output((1, rows), np.float32), g.output((1,), np.float32)]
        base = {"max_detections": 3, "max_classes_per_detection": 1,
                "nms_score_threshold": 0.1, "nms_iou_threshold": 0.5,
                "num_classes": 2, "y_scale": 10.0, "x_scale": 10.0,
                "h_scale": 5.0, "w_scale": 5.0}
        base.update(opts or {})
        g.custom("TFLite_Detection_PostProcess", [enc, cls, a], outs, base)
        return g.write()

    def bc(index, score_t=np.int32, n_out=2):
        g = Graph()
        scores = g.input((1, 4), score_t)
        ix = g.tensor((1,), np.int32, data=[index])
        thr = g.tensor((1,), np.int32, data=[0])
        outs = [g.output((1,), np.bool_), g.output((1,), np.int32)][:n_out]
        g.custom("BasicClassifier", [scores, ix, thr], outs, None)
        return g.write()

    yield "bc_index", bc(4), "outside the 4 scores"
    yield "bc_negative", bc(-1), "= -1 is outside"
    yield "bc_float", bc(0, np.float32), "is FLOAT32"
    yield "bc_outputs", bc(0, n_out=1), "takes 3"
    yield "cb_zero_slots", cb((1, 1, 1, 4), (1, 0, 1, 4)), "slots >= 1"
    yield "cb_rank2", cb((1, 4), (3, 4)), "rank 2"
    yield "cb_int16", cb((1, 1, 1, 4), (1, 3, 1, 4), np.int16), "is INT16"
    yield "cb_depth", cb((1, 1, 1, 4), (1, 3, 1, 5)), "[1, 1, W, D]"
    yield "det_uint8", det(dtype=np.uint8), "is UINT8"
    yield "det_iou", det(opts={"nms_iou_threshold": 0.0}), "nms_iou_threshold"
    yield "det_classes", det(cols=5), "num_classes"
    yield "det_rows", det(rows=2), "R >= 3"
    yield "det_dpc", det(opts={"use_regular_nms": True,
                               "detections_per_class": 0}), "detections_per_class"


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    n = 0
    for gen in (_circular_buffer, _detection_postprocess, _basic_classifier):
        for name, data in gen():
            with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
                f.write(data)
            n += 1
    return n
