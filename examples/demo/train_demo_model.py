#!/usr/bin/env python3
"""Trains the demo classifier used by the hello-world flow and writes
demo_classifier.tflite, labels.txt and images/<label>_N.png beside this file.

The images are drawn here (numpy only): one shape or pattern per image on a
noisy, shaded background, with random colours, positions, sizes and angles.
The network is MobileNet-style (depthwise-separable blocks, width 0.25-ish),
small enough that weights plus activations fit one xcore.ai tile with room to
spare. It is converted with full-integer post-training quantization (int8
input and output) and the int8 model is what gets evaluated and saved.

Preprocessing is pixel / 255 in [0, 1]; with the representative data covering
0..255 the input quantization is scale 1/255, zero point -128, so a device
tool turns a pixel into int8 with round(pixel/255/scale) + zero_point.

Run with the separate training venv (see README.md):
    nice -n 10 build/tf-venv/bin/python examples/demo/train_demo_model.py
"""
import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from demo_png import write_png  # noqa: E402
from demo_quant import quantize_input  # noqa: E402

LABELS = ["circle", "square", "triangle", "cross", "stripes"]
SIZE = 128


def _rotated(xx, yy, cx, cy, angle):
    c, s = np.cos(angle), np.sin(angle)
    dx, dy = xx - cx, yy - cy
    return c * dx + s * dy, -s * dx + c * dy


def _shape_mask(label, rng, xx, yy):
    cx, cy = rng.uniform(38, 90, size=2)
    r = rng.uniform(18, 34)
    angle = rng.uniform(0, 2 * np.pi)
    u, v = _rotated(xx, yy, cx, cy, angle)
    if label == "circle":
        return u * u + v * v <= r * r
    if label == "square":
        s = 0.85 * r
        return (np.abs(u) <= s) & (np.abs(v) <= s)
    if label == "triangle":
        # Equilateral, circumradius r: inside all three edges, each at
        # distance r/2 (the inradius) from the centre.
        inside = np.ones_like(u, dtype=bool)
        for k in range(3):
            a = 2 * np.pi * k / 3
            inside &= np.cos(a) * u + np.sin(a) * v <= r / 2
        return inside
    if label == "cross":
        w = 0.28 * r
        return (((np.abs(u) <= w) & (np.abs(v) <= r)) |
                ((np.abs(v) <= w) & (np.abs(u) <= r)))
    if label == "stripes":
        # Parallel bars over the whole image, so no outline to mistake for
        # a shape.
        period = rng.uniform(10, 24)
        return np.mod(u, period) < period / 2
    raise ValueError(label)


def draw(label, rng, noise_max=14.0):
    """One (128, 128, 3) uint8 image of class `label`."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    bg = rng.uniform(0, 255, size=3)
    # Foreground far enough from the background that the shape is visible.
    while True:
        fg = rng.uniform(0, 255, size=3)
        if np.abs(fg - bg).sum() > 150:
            break
    g = rng.uniform(-40, 40, size=2)
    shade = (g[0] * (xx - 64) + g[1] * (yy - 64)) / 64
    img = bg[None, None, :] + shade[..., None]
    mask = _shape_mask(label, rng, xx, yy)
    img = np.where(mask[..., None], fg[None, None, :], img)
    sigma = rng.uniform(0, noise_max)
    img = img + rng.normal(0, sigma, size=img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def make_set(n, seed, noise_max=14.0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % len(LABELS)
    rng.shuffle(y)
    x = np.stack([draw(LABELS[k], rng, noise_max) for k in y])
    return x, y.astype(np.int32)


def build_model(keras):
    L = keras.layers

    def block(x, filters, stride):
        x = L.DepthwiseConv2D(3, strides=stride, padding="same",
                              use_bias=False)(x)
        x = L.BatchNormalization(momentum=0.9)(x)
        x = L.ReLU(6.0)(x)
        x = L.Conv2D(filters, 1, use_bias=False)(x)
        x = L.BatchNormalization(momentum=0.9)(x)
        return L.ReLU(6.0)(x)

    inp = keras.Input((SIZE, SIZE, 3), name="image")
    x = L.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(inp)
    x = L.BatchNormalization(momentum=0.9)(x)
    x = L.ReLU(6.0)(x)                       # 64x64x8
    x = block(x, 16, 2)                      # 32x32x16
    x = block(x, 32, 1)
    x = block(x, 32, 2)                      # 16x16x32
    x = block(x, 64, 1)
    x = block(x, 64, 2)                      # 8x8x64
    x = block(x, 128, 1)
    x = L.GlobalAveragePooling2D()(x)
    x = L.Dropout(0.2)(x)
    out = L.Dense(len(LABELS), activation="softmax", name="probs")(x)
    return keras.Model(inp, out, name="demo_classifier")


def int8_predict(tf, model_bytes, x):
    # Reference kernels: the same arithmetic that check_demo.py and the
    # xai runtime are held to.
    it = tf.lite.Interpreter(
        model_content=model_bytes,
        experimental_op_resolver_type=(
            tf.lite.experimental.OpResolverType.BUILTIN_REF))
    it.allocate_tensors()
    ind, outd = it.get_input_details()[0], it.get_output_details()[0]
    scale, zp = ind["quantization"]
    preds = np.empty((len(x), len(LABELS)), np.int8)
    for i in range(len(x)):
        it.set_tensor(ind["index"], quantize_input(x[i:i + 1], scale, zp))
        it.invoke()
        preds[i] = it.get_tensor(outd["index"])[0]
    return preds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=int, default=6000)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--min-accuracy", type=float, default=0.95,
                    help="refuse to write a model below this int8 accuracy")
    args = ap.parse_args()

    t0 = time.time()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    import keras
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(7)
    try:
        tf.config.experimental.enable_op_determinism()
    except AttributeError:
        pass

    x_train, y_train = make_set(args.train, seed=1)
    x_val, y_val = make_set(500, seed=2)
    x_test, y_test = make_set(args.test, seed=3)
    print(f"drew {len(x_train)} train, {len(x_val)} val, {len(x_test)} test "
          f"images in {time.time() - t0:.1f} s")

    model = build_model(keras)
    steps = args.epochs * ((args.train + 63) // 64)
    lr = keras.optimizers.schedules.CosineDecay(3e-3, steps)
    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    t1 = time.time()
    model.fit(x_train.astype(np.float32) / 255.0, y_train, batch_size=64,
              epochs=args.epochs, verbose=2,
              validation_data=(x_val.astype(np.float32) / 255.0, y_val))
    print(f"training took {time.time() - t1:.1f} s")

    def representative():
        for i in range(200):
            yield [x_train[i:i + 1].astype(np.float32) / 255.0]

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    tflite = conv.convert()

    pred = int8_predict(tf, tflite, x_test).argmax(axis=1)
    acc = float((pred == y_test).mean())
    print(f"int8 model: {len(tflite)} bytes, held-out accuracy "
          f"{acc * 100:.2f}% on {len(y_test)} images")
    if acc < args.min_accuracy:
        sys.exit(f"train_demo_model: int8 accuracy {acc:.3f} is below "
                 f"{args.min_accuracy}; "
                 "not writing the model (try more --epochs or --train)")

    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    with open(os.path.join(args.out, "demo_classifier.tflite"), "wb") as f:
        f.write(tflite)
    with open(os.path.join(args.out, "labels.txt"), "w") as f:
        f.write("".join(lab + "\n" for lab in LABELS))

    # One demo image per class, drawn with little noise so the PNGs stay
    # small; keep only images the int8 model gets right by a clear margin.
    rng = np.random.default_rng(4)
    for k, lab in enumerate(LABELS):
        for _ in range(100):
            img = draw(lab, rng, noise_max=1.5)
            out = int8_predict(tf, tflite, img[None])[0].astype(np.int32)
            runner_up = np.sort(out)[-2]
            if out.argmax() == k and out[k] - runner_up >= 64:
                break
        else:
            if args.min_accuracy > 0:
                sys.exit(f"train_demo_model: no clear demo image for "
                         f"'{lab}'")
        write_png(os.path.join(args.out, "images", f"{lab}_1.png"), img)
    print(f"wrote {args.out}/demo_classifier.tflite, labels.txt and "
          f"{len(LABELS)} images; total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
