"""Minimal PNG writer and reader for the demo images (8-bit RGB only).

Kept dependency-free (zlib + numpy) so that both the training script's venv
and the test venv can use it without PIL.
"""
import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_RGB = 2  # PNG colour type for truecolour without alpha


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(
        ">I", zlib.crc32(body) & 0xFFFFFFFF)


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def write_png(path, rgb):
    """Writes an (H, W, 3) uint8 array. Every row uses the Sub filter: the
    images are mostly flat colour, so byte differences compress far better
    than raw bytes."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, c = rgb.shape
    if c != 3:
        raise ValueError(f"write_png: {path}: need 3 channels, got {c}")
    rows = rgb.reshape(h, w * 3).astype(np.int16)
    sub = rows.copy()
    sub[:, 3:] = rows[:, 3:] - rows[:, :-3]
    raw = np.concatenate([np.ones((h, 1), np.int16), sub], axis=1)
    data = (raw & 0xFF).astype(np.uint8).tobytes()
    ihdr = struct.pack(">IIBBBBB", w, h, 8, _RGB, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(_SIGNATURE + _chunk(b"IHDR", ihdr) +
                _chunk(b"IDAT", zlib.compress(data, 9)) + _chunk(b"IEND", b""))


def read_png(path):
    """Reads an 8-bit, non-interlaced RGB PNG (any row filters) into an
    (H, W, 3) uint8 array; raises ValueError on anything else."""
    with open(path, "rb") as f:
        blob = f.read()
    if not blob.startswith(_SIGNATURE):
        raise ValueError(f"read_png: {path}: not a PNG file")
    pos, idat, hdr = len(_SIGNATURE), b"", None
    while pos + 8 <= len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        data = blob[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
        elif kind == b"IEND":
            break
        pos += 12 + length
    if hdr is None:
        raise ValueError(f"read_png: {path}: no IHDR chunk")
    w, h, depth, colour, _, _, interlace = hdr
    if depth != 8 or colour != _RGB or interlace != 0:
        raise ValueError(f"read_png: {path}: only 8-bit RGB non-interlaced "
                         f"PNGs are supported (depth {depth}, colour type "
                         f"{colour}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = w * 3
    if len(raw) != h * (stride + 1):
        raise ValueError(f"read_png: {path}: image data has {len(raw)} bytes, "
                         f"expected {h * (stride + 1)}")
    out = bytearray(h * stride)
    prev = bytearray(stride)
    for y in range(h):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                line[i] = (line[i] + _paeth(a, b, c)) & 0xFF
            elif ftype != 0:
                raise ValueError(f"read_png: {path}: row {y} has unknown "
                                 f"filter type {ftype}")
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return np.frombuffer(bytes(out), np.uint8).reshape(h, w, 3)
