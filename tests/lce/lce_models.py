"""The binarized test models: single-op LCE models over the option space
LCE's converter emits, and three whole networks. Deterministic (fixed
seeds), written as NAME.tflite by write_all(dir)."""
import os

import numpy as np

from lce_lib import (ACT_NONE, ACT_RELU, ACT_RELU6, ACT_RELU_N1_TO_1, SAME,
                     VALID, Net, bconv, bmaxpool, dequantize, packed, quantize)


def _single_quantize():
    for c in (1, 31, 32, 33, 70):
        n = Net()
        x = n.input([1, 3, 3, c], np.float32)
        yield f"quantize_f32_c{c}", n.finish([quantize(n, x, [1, 3, 3, c])])
    n = Net()
    x = n.input([4, 100], np.float32)
    yield "quantize_f32_rank2", n.finish([quantize(n, x, [4, 100])])
    for zp in (-128, -5, 0, 17, 127):
        n = Net()
        x = n.input([1, 2, 3, 40], np.int8, scale=0.05, zp=zp)
        yield f"quantize_s8_zp{zp}", n.finish([quantize(n, x, [1, 2, 3, 40])])


def _single_dequantize():
    for c in (1, 33, 64):
        n = Net()
        x = n.input([1, 2, 2, packed(c)], np.int32)
        yield f"dequantize_f32_c{c}", n.finish(
            [dequantize(n, x, [1, 2, 2, c], np.float32)])
    for i, (scale, zp) in enumerate([(1.0, 0), (0.5, -3), (0.01, 100),
                                     (1 / 3, -128), (2.0, 127), (0.004, -20)]):
        n = Net()
        x = n.input([1, 3, 1, packed(50)], np.int32)
        yield f"dequantize_s8_{i}", n.finish(
            [dequantize(n, x, [1, 3, 1, 50], np.int8, scale=scale, zp=zp)])


def _single_bmaxpool():
    for i, (hw, c, k, s, pad) in enumerate([
            ((8, 8), 2, (2, 2), (2, 2), VALID), ((7, 7), 1, (3, 3), (2, 2), SAME),
            ((5, 6), 3, (3, 2), (1, 2), SAME), ((9, 5), 4, (2, 3), (3, 1), VALID),
            ((4, 4), 1, (4, 4), (1, 1), SAME)]):
        n = Net()
        x = n.input([1, hw[0], hw[1], c], np.int32)
        y, _ = bmaxpool(n, x, hw, c, k=k, stride=s, padding=pad)
        yield f"bmaxpool_{i}", n.finish([y])


# (cin, cout, k, stride, dilation, padding, pad_values, groups, act, out)
BCONV_CASES = [
    (32, 16, (3, 3), (1, 1), (1, 1), SAME, 1, 1, ACT_NONE, "float"),
    (32, 16, (3, 3), (1, 1), (1, 1), SAME, 0, 1, ACT_NONE, "float"),
    (64, 32, (3, 3), (2, 2), (1, 1), SAME, 1, 1, ACT_NONE, "int8"),
    (64, 32, (3, 3), (2, 2), (1, 1), SAME, 0, 1, ACT_NONE, "int8"),
    (40, 24, (3, 3), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "float"),
    (40, 24, (3, 3), (1, 1), (1, 1), SAME, 0, 1, ACT_NONE, "int8"),
    (100, 8, (5, 3), (1, 2), (1, 1), SAME, 1, 1, ACT_NONE, "bitpacked"),
    (2, 33, (3, 3), (1, 1), (1, 1), SAME, 0, 1, ACT_NONE, "float"),
    (3, 7, (2, 2), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "int8"),
    (32, 64, (1, 1), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "bitpacked"),
    (32, 40, (1, 1), (2, 2), (1, 1), SAME, 1, 1, ACT_NONE, "bitpacked"),
    (64, 16, (3, 3), (1, 1), (2, 2), SAME, 1, 1, ACT_NONE, "float"),
    (64, 16, (3, 3), (1, 1), (2, 2), SAME, 0, 1, ACT_NONE, "int8"),
    (48, 16, (3, 3), (1, 1), (2, 2), VALID, 1, 1, ACT_NONE, "int8"),
    (64, 32, (3, 3), (1, 1), (1, 1), SAME, 1, 2, ACT_NONE, "float"),
    (128, 32, (3, 3), (1, 1), (1, 1), SAME, 1, 4, ACT_NONE, "int8"),
    (128, 64, (3, 3), (2, 2), (1, 1), SAME, 0, 2, ACT_NONE, "int8"),
    (64, 64, (1, 1), (1, 1), (1, 1), VALID, 1, 2, ACT_NONE, "bitpacked"),
    (96, 48, (3, 3), (1, 1), (1, 1), VALID, 1, 3, ACT_NONE, "float"),
    (32, 16, (3, 3), (1, 1), (1, 1), SAME, 1, 1, ACT_RELU, "float"),
    (32, 16, (3, 3), (1, 1), (1, 1), SAME, 1, 1, ACT_RELU6, "int8"),
    (32, 16, (3, 3), (1, 1), (1, 1), VALID, 1, 1, ACT_RELU_N1_TO_1, "float"),
    (50, 20, (3, 3), (1, 1), (1, 1), VALID, 1, 1, ACT_RELU, "int8"),
    (64, 16, (3, 3), (1, 1), (1, 1), SAME, 0, 1, ACT_RELU, "int8"),
    (64, 16, (3, 3), (1, 1), (1, 1), SAME, 0, 1, ACT_RELU6, "float"),
    (256, 32, (3, 3), (1, 1), (1, 1), SAME, 1, 1, ACT_NONE, "int8"),
    (256, 64, (3, 3), (1, 1), (1, 1), SAME, 1, 1, ACT_NONE, "bitpacked"),
    (33, 31, (3, 3), (2, 1), (1, 1), SAME, 1, 1, ACT_NONE, "bitpacked"),
    (70, 65, (2, 3), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "bitpacked"),
    (16, 16, (7, 7), (2, 2), (1, 1), SAME, 0, 1, ACT_NONE, "float"),
    (16, 16, (7, 7), (2, 2), (1, 1), SAME, 1, 1, ACT_RELU, "int8"),
    (200, 10, (1, 1), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "float"),
    (512, 24, (1, 1), (1, 1), (1, 1), VALID, 1, 1, ACT_NONE, "int8"),
    (64, 32, (3, 3), (3, 3), (1, 1), VALID, 1, 1, ACT_NONE, "int8"),
    (32, 8, (3, 1), (1, 1), (3, 1), SAME, 1, 1, ACT_NONE, "float"),
    (32, 8, (1, 3), (1, 1), (1, 2), SAME, 0, 1, ACT_NONE, "int8"),
]


def _bconv_model(i, case, rng):
    cin, cout, k, s, d, pad, pv, groups, act, out = case
    hw = (7, 6) if k[0] < 5 else (9, 8)
    n = Net()
    x = n.input([1, hw[0], hw[1], packed(cin)], np.int32)
    scale = float(rng.choice([0.05, 0.25, 1.0, 3.0]))
    kdepth = k[0] * k[1] * cin // groups
    threshold = np.round(rng.normal(kdepth / 2, kdepth ** 0.5 / 2,
                                    size=cout)).astype(np.int32)
    y, _ = bconv(n, x, hw, cin, cout, k=k, stride=s, dilation=d, padding=pad,
                 pad_values=pv, groups=groups, act=act, out=out,
                 out_scale=scale, out_zp=int(rng.integers(-20, 20)), rng=rng,
                 threshold=threshold)
    name = (f"bconv_{i:02d}_c{cin}x{cout}_k{k[0]}{k[1]}_s{s[0]}{s[1]}"
            f"_d{d[0]}{d[1]}_{'same' if pad == SAME else 'valid'}{pv}"
            f"_g{groups}_a{act}_{out}")
    return name, n.finish([y])


def _bconv_pool_models():
    """LceBconv2d (bitpacked out) -> LceBMaxPool2d, the pair LCE's converter
    makes and the xformer fuses: SAME pools on odd sizes (windows partly
    outside), VALID; and an overlapping pool (3x3 stride 2), which stays
    separate. (LCE 0.16's interpreter refuses zero padding with bitpacked
    output.)"""
    rng = np.random.default_rng(16)
    for i, (hw, cin, cout, pv, groups, pk, ps, ppad) in enumerate([
            ((9, 7), 64, 40, 1, 1, (3, 3), (3, 3), SAME),
            ((8, 8), 96, 48, 1, 1, (2, 2), (2, 2), VALID),
            ((7, 9), 64, 32, 1, 1, (2, 3), (2, 3), SAME),
            ((9, 9), 32, 16, 1, 1, (3, 3), (2, 2), SAME)]):
        n = Net()
        x = n.input([1, hw[0], hw[1], packed(cin)], np.int32)
        y, ohw = bconv(n, x, hw, cin, cout, pad_values=pv, groups=groups,
                       out="bitpacked", rng=rng)
        z, _ = bmaxpool(n, y, ohw, packed(cout), k=pk, stride=ps,
                        padding=ppad)
        yield f"bconv_pool_{i}", n.finish([z])


def single_op_models():
    yield from _single_quantize()
    yield from _single_dequantize()
    yield from _single_bmaxpool()
    yield from _bconv_pool_models()
    rng = np.random.default_rng(15)
    for i, case in enumerate(BCONV_CASES):
        yield _bconv_model(i, case, rng)


# ---- Whole networks ---------------------------------------------------------

def _s8_conv(n, rng, x, in_scale, in_zp, hw, cin, cout, k, stride, out_scale,
             out_zp, relu=False):
    """A builtin int8 CONV_2D (SAME) with per-channel weights."""
    S = n.schema
    w = rng.integers(-127, 128, size=(cout, k, k, cin)).astype(np.int8)
    w_scale = (rng.uniform(0.5, 1.5, size=cout) * 0.02).astype(np.float32)
    wt = n.tensor([cout, k, k, cin], np.int8, data=w)
    q = S.QuantizationParametersT()
    q.scale, q.zeroPoint, q.quantizedDimension = list(map(float, w_scale)), [0] * cout, 0
    n.tensors[wt].quantization = q
    b = rng.integers(-2000, 2000, size=cout).astype(np.int32)
    bt = n.tensor([cout], np.int32, data=b)
    qb = S.QuantizationParametersT()
    qb.scale = [float(in_scale * s) for s in w_scale]
    qb.zeroPoint = [0] * cout
    n.tensors[bt].quantization = qb
    oh, ow = (hw[0] + stride - 1) // stride, (hw[1] + stride - 1) // stride
    y = n.tensor([1, oh, ow, cout], np.int8, scale=out_scale, zp=out_zp)
    o = S.Conv2DOptionsT()
    o.padding, o.strideH, o.strideW = S.Padding.SAME, stride, stride
    o.fusedActivationFunction = ACT_RELU if relu else ACT_NONE
    n.builtin(S.BuiltinOperator.CONV_2D, [x, wt, bt], [y],
              S.BuiltinOptions.Conv2DOptions, o)
    return y, (oh, ow)


def _s8_add(n, a, b, shape, scale, zp):
    S = n.schema
    y = n.tensor(shape, np.int8, scale=scale, zp=zp)
    n.builtin(S.BuiltinOperator.ADD, [a, b], [y], S.BuiltinOptions.AddOptions,
              S.AddOptionsT())
    return y


def _pool(n, code, x, shape_out, k, s, scale, zp):
    S = n.schema
    y = n.tensor(shape_out, np.int8, scale=scale, zp=zp)
    o = S.Pool2DOptionsT()
    o.padding, o.strideH, o.strideW = S.Padding.VALID, s, s
    o.filterHeight = o.filterWidth = k
    n.builtin(code, [x], [y], S.BuiltinOptions.Pool2DOptions, o)
    return y


def quicknet_cifar(channels=(32, 64), seed=1):
    """Bi-Real / QuickNet style CIFAR-10 classifier: int8 first conv, binary
    blocks (LceQuantize -> LceBconv2d with int8 output, int8 shortcut ADD),
    a strided binary transition, int8 average pool and int8 1x1 classifier
    conv. Input 1x32x32x3 int8, output 1x1x1x10 int8."""
    rng = np.random.default_rng(seed)
    n = Net()
    S = n.schema
    a_scale = 0.1
    x = n.input([1, 32, 32, 3], np.int8, scale=0.02, zp=-1)
    c0, c1 = channels
    h, hw = _s8_conv(n, rng, x, 0.02, -1, (32, 32), 3, c0, 3, 2, a_scale, 0,
                     relu=True)
    for cin, cout, stride in ((c0, c0, 1), (c0, c0, 1), (c0, c1, 2),
                              (c1, c1, 1)):
        q = quantize(n, h, [1, hw[0], hw[1], cin])
        kd = 9 * cin
        mult = (rng.uniform(0.5, 1.5, size=cout) / kd ** 0.5).astype(np.float32)
        bias = rng.uniform(-0.3, 0.3, size=cout).astype(np.float32)
        y, ohw = bconv(n, q, hw, cin, cout, stride=(stride, stride),
                       pad_values=1, out="int8", out_scale=a_scale, out_zp=0,
                       rng=rng, mult=mult, bias=bias)
        if cin == cout and stride == 1:
            y = _s8_add(n, y, h, [1, hw[0], hw[1], cout], a_scale, 0)
        h, hw = y, ohw
    p = _pool(n, S.BuiltinOperator.AVERAGE_POOL_2D, h, [1, 1, 1, c1], hw[0], 1,
              a_scale, 0)
    out, _ = _s8_conv(n, rng, p, a_scale, 0, (1, 1), c1, 10, 1, 1, 0.2, 3)
    return n.finish([out])


def binary_dense_stack(seed=2):
    """Binary dense layers (1x1 binary convolutions on a 1x1 image, as LCE
    converts them) with float batch-norm outputs re-binarized between
    layers. Input 1x1x1x300 float, output 1x1x1x10 float."""
    rng = np.random.default_rng(seed)
    n = Net()
    x = n.input([1, 1, 1, 300], np.float32)
    h, c = x, 300
    for cout in (256, 128, 10):
        q = quantize(n, h, [1, 1, 1, c])
        h, _ = bconv(n, q, (1, 1), c, cout, k=(1, 1), padding=VALID,
                     out="float", rng=rng)
        c = cout
    return n.finish([h])


def bitpacked_chain(seed=3):
    """Binary layers that pass bitpacked activations straight on
    (thresholded output), with a binary max pool between them, one
    grouped convolution, and an int8 head: LceQuantize(int8) -> bconv
    (bitpacked) -> BMaxPool -> bconv (bitpacked, 2 groups) -> bconv (int8)
    plus a second output LceDequantize'd from the bitpacked activations.
    Input 1x16x16x64 int8."""
    rng = np.random.default_rng(seed)
    n = Net()
    x = n.input([1, 16, 16, 64], np.int8, scale=0.05, zp=2)
    q = quantize(n, x, [1, 16, 16, 64])

    def th(kd, cout):
        return np.round(rng.normal(kd / 2, kd ** 0.5 / 3, size=cout)).astype(np.int32)

    b1, hw = bconv(n, q, (16, 16), 64, 64, out="bitpacked", rng=rng,
                   threshold=th(9 * 64, 64))
    p, hw = bmaxpool(n, b1, hw, 2, k=(2, 2), stride=(2, 2))
    b2, hw = bconv(n, p, hw, 64, 96, groups=2, out="bitpacked", rng=rng,
                   threshold=th(9 * 32, 96))
    b3, hw3 = bconv(n, b2, hw, 96, 48, padding=VALID, out="int8",
                    out_scale=0.5, out_zp=-4, rng=rng)
    side = dequantize(n, b2, [1, hw[0], hw[1], 96], np.int8, scale=1 / 64,
                      zp=0)
    return n.finish([b3, side])


# int8 weight bytes of bitpacked_chain's three convolutions (cout*kh*kw*cin
# per group), the yardstick for its 1-bit params
BITPACKED_CHAIN_INT8_WEIGHT_BYTES = 64 * 9 * 64 + 96 * 9 * 32 + 48 * 9 * 96

NETWORKS = {"net_quicknet_cifar": quicknet_cifar,
            "net_binary_dense": binary_dense_stack,
            "net_bitpacked_chain": bitpacked_chain}


def all_models():
    yield from single_op_models()
    for name, make in NETWORKS.items():
        yield name, make()


def write_all(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for name, data in all_models():
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(data)
        names.append(name)
    return names
