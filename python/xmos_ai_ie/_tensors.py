"""Tensor data in and out of a model, shared by the device (xcore_ai_ie)
and the host interpreter: inputs are checked against the tensor's dtype,
shape and size with an error that names the tensor; outputs come back as
numpy arrays of the tensor's dtype and shape that carry its quantization
(`.scale`, `.zero_point`) and a dequantized view (`.dequantized`).

A tensor spec is the dict read_spec() gives: name, dtype ("int8", ...),
shape, scale, zero_point, bytes."""
import struct

_FORMAT = {"float32": "f", "int32": "i", "uint8": "B", "int16": "h",
           "int8": "b"}
_QuantizedArray = None


def _describe(kind, index, spec):
    return (f"{kind} {index} '{spec['name']}' is {spec['dtype']} "
            f"{list(spec['shape'])} ({spec['bytes']} bytes)")


def input_bytes(data, spec, index, kind="input"):
    """The raw bytes to send for `data`: bytes-like (exactly the tensor's
    size), a list of numbers in the tensor's type, or a numpy array of the
    tensor's dtype and shape (a missing leading batch dimension of 1 is
    accepted)."""
    fmt = _FORMAT.get(spec["dtype"])
    if isinstance(data, (list, tuple)):
        if fmt is None:
            raise TypeError(f"{_describe(kind, index, spec)}: send its raw "
                            "bytes")
        try:
            raw = struct.pack("<%d%s" % (len(data), fmt), *data)
        except struct.error as e:
            raise ValueError(f"{_describe(kind, index, spec)}: the list does "
                             f"not fit that type ({e})") from None
    elif hasattr(data, "dtype") and hasattr(data, "shape"):
        if str(data.dtype) != spec["dtype"]:
            raise TypeError(f"{_describe(kind, index, spec)}; got a "
                            f"{data.dtype} array: convert it with "
                            f".astype(np.{spec['dtype']}) after applying "
                            "the input's scale and zero point")
        shape = [int(d) for d in data.shape]
        want = [int(d) for d in spec["shape"]]
        if shape != want and not (want[:1] == [1] and shape == want[1:]):
            raise ValueError(f"{_describe(kind, index, spec)}; got an array "
                             f"of shape {shape}")
        raw = data.tobytes(order="C")
    else:
        raw = bytes(data)
    if len(raw) != spec["bytes"]:
        raise ValueError(f"{_describe(kind, index, spec)}; got {len(raw)} "
                         "bytes")
    return raw


def _array_class():
    global _QuantizedArray
    if _QuantizedArray is not None:
        return _QuantizedArray
    import numpy as np

    class QuantizedArray(np.ndarray):
        """A tensor's values in its own dtype and shape, with its scale and
        zero point; `.dequantized` is (q - zero_point) * scale as float32
        (the values themselves for unquantized tensors)."""

        def __array_finalize__(self, obj):
            self.scale = getattr(obj, "scale", 0.0)
            self.zero_point = getattr(obj, "zero_point", 0)
            self.name = getattr(obj, "name", "")

        @property
        def dequantized(self):
            a = np.asarray(self)
            if not self.scale or a.dtype.kind == "f":
                return a.astype(np.float32)
            return ((a.astype(np.float64) - self.zero_point) *
                    self.scale).astype(np.float32)

    _QuantizedArray = QuantizedArray
    return QuantizedArray


def output_array(raw, spec):
    """raw bytes of a tensor -> QuantizedArray (numpy needed)."""
    import numpy as np
    if spec["dtype"] not in _FORMAT:
        raise TypeError(f"tensor '{spec['name']}' has type {spec['dtype']}; "
                        "use the raw bytes")
    a = np.frombuffer(raw, dtype=np.dtype(spec["dtype"])).copy()
    a = a.reshape([int(d) for d in spec["shape"]]).view(_array_class())
    a.scale = float(spec["scale"])
    a.zero_point = int(spec["zero_point"])
    a.name = spec["name"]
    return a


def values(raw, spec):
    """raw bytes -> list of numbers in the tensor's type."""
    fmt = _FORMAT.get(spec["dtype"], "B")
    n = len(raw) // struct.calcsize(fmt)
    return list(struct.unpack("<%d%s" % (n, fmt),
                              raw[:n * struct.calcsize(fmt)]))
