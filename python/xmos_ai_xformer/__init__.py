"""xmos_ai_xformer: compile an int8 TFLite model for xcore.ai from Python.

    from xmos_ai_xformer import xformer
    optimised = xformer("model.tflite", xcore_thread_count=5)
    xformer(model_bytes, o="model_xcore.tflite",
            xcore_flash_image_file="model_xcore.params")

Options are the command-line options of the `xformer` tool with dashes
written as underscores (``xcore_thread_count=5`` is
``--xcore-thread-count 5``); ``True`` turns a flag on. The optimised model
is returned as bytes; files named by ``o``/``output``,
``xcore_flash_image_file`` and ``report_json`` are written as well.

The C library (libxai_xformer.so) is the one installed with the package;
in a source tree, the folder XAI_LIB_DIR names, else the release build
(build/release/python/; never a sanitizer build).
"""
import ctypes
import os

from xmos_ai_ie._libpath import find_library

__all__ = ["xformer"]

_LIB_NAME = "libxai_xformer.so"
_lib = None


def _find_library():
    return find_library(os.path.dirname(os.path.abspath(__file__)), _LIB_NAME,
                        env_dir="XAI_LIB_DIR")


def _load():
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(_find_library())
        lib.xai_py_xformer.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int, ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)),
            ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p, ctypes.c_size_t]
        lib.xai_py_xformer.restype = ctypes.c_int
        lib.xai_py_free.argtypes = [ctypes.c_void_p]
        lib.xai_py_free.restype = None
        _lib = lib
    return _lib


# xai_status values (include/xai/common.h) that mean the caller's input
# was wrong rather than the environment.
_XAI_ERR_FORMAT, _XAI_ERR_UNSUPPORTED, _XAI_ERR_ARGUMENT = 2, 3, 4


def _option_args(options):
    args = []
    for key, value in options.items():
        name = key.replace("_", "-")
        spelled = ("-" if name in ("o", "params") else "--") + name
        if value is True:
            args.append(spelled)
        elif value is False or value is None:
            continue
        else:
            args.append(f"{spelled}={os.fspath(value) if isinstance(value, os.PathLike) else value}")
    return args


def xformer(model, **options):
    """Compiles `model` (a path or the model's bytes) and returns the
    optimised model as bytes. Raises ValueError for a bad model or option
    (the message says what to do), RuntimeError for other failures."""
    if isinstance(model, (bytes, bytearray, memoryview)):
        data = bytes(model)
    else:
        with open(os.fspath(model), "rb") as f:
            data = f.read()
    lib = _load()
    args = [a.encode() for a in _option_args(options)]
    argv = (ctypes.c_char_p * max(len(args), 1))(*args)
    out = ctypes.POINTER(ctypes.c_uint8)()
    out_size = ctypes.c_size_t(0)
    err = ctypes.create_string_buffer(1024)
    status = lib.xai_py_xformer(data, len(data), argv, len(args),
                                ctypes.byref(out), ctypes.byref(out_size),
                                err, len(err))
    if status != 0:
        message = err.value.decode(errors="replace")
        if status in (_XAI_ERR_FORMAT, _XAI_ERR_UNSUPPORTED, _XAI_ERR_ARGUMENT):
            raise ValueError(message)
        raise RuntimeError(message)
    try:
        return ctypes.string_at(out, out_size.value)
    finally:
        lib.xai_py_free(out)
