"""The classify tool's input quantization, shared by the training script
(which checks the int8 model the way the device will be fed) and
check_demo.py. Needs only numpy, like demo_png.py, so both venvs can use it.
"""
import numpy as np


def quantize_input(pixels, scale, zero_point):
    """The classify tool's arithmetic (tools/xmos_classify/image_prep.c):
    real = pixel / 255 in float32, q = real / scale in double, rounded half
    away from zero (never negative here), plus the zero point, clamped."""
    real = pixels.astype(np.float32) / np.float32(255.0)
    q = real.astype(np.float64) / np.float64(np.float32(scale))
    q = np.floor(q + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)
