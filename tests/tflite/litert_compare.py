"""Compares what xai's reader sees in every shared model (tfl_dump) with
LiteRT's view of the same file.

It also checks every builtin options descriptor (tfl_dump --descriptors)
against LiteRT's generated bindings: table name per union type, the vtable
slot, type and default of every field, and that no field is missing.

The oracle is LiteRT's interpreter (get_tensor_details / _get_ops_details);
for models the interpreter refuses (custom ops it lacks, or quantization it
rejects but TFLM accepts) it is LiteRT's generated flatbuffer bindings
(schema_py_generated). Usage: litert_compare.py TFL_DUMP MODELS_DIR
Exit 77 (skip) when the models or ai_edge_litert are missing."""
import glob
import inspect
import os
import re
import subprocess
import sys

try:
    import numpy as np
    from ai_edge_litert import schema_py_generated as schema
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
except ImportError as e:
    print(f"skipping: ai_edge_litert not available ({e})")
    sys.exit(77)

TYPE_NAMES = {v: k for k, v in vars(schema.TensorType).items()
              if not k.startswith("_")}
OP_NAMES = {v: k for k, v in vars(schema.BuiltinOperator).items()
            if not k.startswith("_")}
NP_TYPES = {np.float32: "FLOAT32", np.float16: "FLOAT16", np.int32: "INT32",
            np.uint8: "UINT8", np.int64: "INT64", np.bool_: "BOOL",
            np.int16: "INT16", np.complex64: "COMPLEX64", np.int8: "INT8",
            np.float64: "FLOAT64", np.uint32: "UINT32", np.uint16: "UINT16",
            np.uint64: "UINT64", np.bytes_: "STRING", np.object_: "STRING"}


def ints(values):
    return "[" + ",".join(str(int(x)) for x in values) + "]"


def floats(values):
    return "[" + ",".join("%.9g" % float(np.float32(x)) for x in values) + "]"


def tensor_line(i, name, type_name, shape, scales, zps, qdim):
    return (f"tensor {i} {name} {type_name} shape={ints(shape)} "
            f"scales={floats(scales)} zero_points={ints(zps)} "
            f"quantized_dimension={qdim if len(scales) else 0}")


def from_interpreter(path):
    it = Interpreter(model_path=path,
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    lines = []
    for d in sorted(it.get_tensor_details(), key=lambda d: d["index"]):
        q = d["quantization_parameters"]
        lines.append(tensor_line(d["index"], d["name"],
                                 NP_TYPES[np.dtype(d["dtype"]).type],
                                 d["shape"], q["scales"], q["zero_points"],
                                 q["quantized_dimension"]))
    for op in it._get_ops_details():
        lines.append(f"op {op['index']} {op['op_name']} "
                     f"inputs={ints(op['inputs'])} outputs={ints(op['outputs'])}")
    io = [" inputs=" + ints(d["index"] for d in it.get_input_details()),
          " outputs=" + ints(d["index"] for d in it.get_output_details())]
    return lines, io


def from_bindings(path):
    with open(path, "rb") as f:
        model = schema.Model.GetRootAsModel(f.read(), 0)
    g = model.Subgraphs(0)
    lines = []
    for i in range(g.TensorsLength()):
        t = g.Tensors(i)
        q = t.Quantization()
        scales = q.ScaleAsNumpy() if q and q.ScaleLength() else []
        zps = q.ZeroPointAsNumpy() if q and q.ZeroPointLength() else []
        qdim = q.QuantizedDimension() if q else 0
        if len(scales) > 1 and len(t.ShapeAsNumpy()) == 1:
            qdim = 0  # the reader's documented reading of a bias quirk
        lines.append(tensor_line(i, (t.Name() or b"").decode(),
                                 TYPE_NAMES[t.Type()],
                                 t.ShapeAsNumpy() if t.ShapeLength() else [],
                                 scales, zps, qdim))
    for i in range(g.OperatorsLength()):
        op = g.Operators(i)
        oc = model.OperatorCodes(op.OpcodeIndex())
        code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
        name = OP_NAMES[code]
        if name == "CUSTOM" and oc.CustomCode():
            name = oc.CustomCode().decode()
        lines.append(f"op {i} {name} inputs={ints(op.InputsAsNumpy())} "
                     f"outputs={ints(op.OutputsAsNumpy())}")
    io = [" inputs=" + ints(g.InputsAsNumpy()),
          " outputs=" + ints(g.OutputsAsNumpy())]
    return lines, io


OPTION_NAMES = {v: k for k, v in vars(schema.BuiltinOptions).items()
                if not k.startswith("_")}
FLAGS_KIND = {"Bool": "BOOL", "Int8": "I8", "Int32": "I32", "Uint32": "U32",
              "Float32": "F32"}
# Tables modelled with fewer fields than the schema, on purpose.
PARTIAL = {
    "VarHandleOptions",       # two strings xai_options cannot hold
    "FullyConnectedOptions",  # quant_spec:[ubyte], newer than our schema
}


def camel(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def read_descriptors(dump):
    out = subprocess.run([dump, "--descriptors"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    tables = {}
    for line in out:
        f = line.split()
        if f[0] == "table":
            tables[int(f[1])] = {"name": f[2], "fields": []}
        else:
            tables[int(f[1])]["fields"].append(
                {"slot": int(f[3]), "name": f[4], "kind": f[5],
                 "int": int(f[6]), "float": float(f[7])})
    return tables


def method_slots(cls):
    """vtable slot -> (method name, source) of the generated accessors."""
    slots = {}
    for name, fn in vars(cls).items():
        if not callable(fn) or name.startswith("_") or name.endswith(
                ("AsNumpy", "IsNone", "Length")) or name in ("Init",):
            continue
        try:
            src = inspect.getsource(fn)
        except (OSError, TypeError):
            continue
        m = re.search(r"self\._tab\.Offset\((\d+)\)", src)
        if m:
            slots[(int(m.group(1)) - 4) // 2] = (name, src)
    return slots


def check_descriptors(tables):
    problems = []
    for type_, t in sorted(tables.items()):
        name = t["name"]
        if OPTION_NAMES.get(type_) != name:
            problems.append(f"union type {type_} is {OPTION_NAMES.get(type_)}"
                            f" in the schema, not {name}")
            continue
        slots = method_slots(getattr(schema, name))
        ours = {f["slot"] for f in t["fields"]}
        missing = sorted(set(slots) - ours)
        if missing and name not in PARTIAL:
            problems.append(f"{name}: schema fields "
                            f"{[slots[k][0] for k in missing]} not modelled")
        for f in t["fields"]:
            got = slots.get(f["slot"])
            if got is None:
                continue  # a deprecated slot: flatc writes no accessor
            method, src = got
            if method != camel(f["name"]):
                problems.append(f"{name} slot {f['slot']}: schema has "
                                f"{method}, descriptor {f['name']}")
                continue
            if f["kind"] == "INT_LIST":
                if "Vector(" not in src:
                    problems.append(f"{name}.{f['name']}: not a vector")
                continue
            if f["kind"] == "STRING":
                if "String(" not in src:
                    problems.append(f"{name}.{f['name']}: not a string")
                continue
            flags = re.search(r"number_types\.(\w+)Flags, o", src)
            kind = FLAGS_KIND.get(flags.group(1)) if flags else None
            if kind != f["kind"]:
                problems.append(f"{name}.{f['name']}: schema type {kind}, "
                                f"descriptor {f['kind']}")
            default = src.strip().splitlines()[-1].split("return", 1)[1].strip()
            want = {"False": 0, "True": 1}.get(default, None)
            if f["kind"] == "F32":
                ok = float(default) == f["float"]
            else:
                ok = (want if want is not None else int(default)) == f["int"]
            if not ok:
                problems.append(f"{name}.{f['name']}: schema default "
                                f"{default}, descriptor {f['int']}/{f['float']}")
    return problems


def format_value(kind, value):
    if kind == "BOOL":
        return "true" if value else "false"
    if kind == "F32":
        return "%.9g" % float(np.float32(value))
    if kind == "INT_LIST":
        return "none" if value is None else ints(value)
    if kind == "STRING":
        return '"%s"' % (value.decode() if value else "")
    return str(int(value))


def options_lines(path, tables):
    with open(path, "rb") as f:
        model = schema.Model.GetRootAsModel(f.read(), 0)
    g = model.Subgraphs(0)
    lines = []
    for i in range(g.OperatorsLength()):
        op = g.Operators(i)
        type_ = op.BuiltinOptionsType()
        if not type_:
            continue
        t = tables.get(type_)
        if t is None:
            lines.append(f"options {i} {OPTION_NAMES[type_]} is not modelled")
            continue
        obj = getattr(schema, t["name"])()
        tab = op.BuiltinOptions()
        obj.Init(tab.Bytes, tab.Pos)
        parts = []
        for f in t["fields"]:
            method = getattr(obj, camel(f["name"]), None)
            if f["kind"] == "INT_LIST":
                value = None if obj.__getattribute__(
                    camel(f["name"]) + "IsNone")() else list(
                    getattr(obj, camel(f["name"]) + "AsNumpy")())
            elif method is None:  # deprecated slot: read it raw
                o = obj._tab.Offset(4 + 2 * f["slot"])
                value = obj._tab.Get(schema.flatbuffers.number_types.Int32Flags,
                                     o + obj._tab.Pos) if o else f["int"]
            else:
                value = method()
            parts.append(f"{f['name']}={format_value(f['kind'], value)}")
        lines.append(f"options {i} {t['name']} " + " ".join(parts))
    return lines


def main():
    dump, models = sys.argv[1], sys.argv[2]
    if not os.path.isdir(models):
        print(f"skipping: {models} not found (real models live in ../shared)")
        return 77
    paths = sorted(glob.glob(os.path.join(models, "**", "*.tflite"),
                             recursive=True))
    tables = read_descriptors(dump)
    problems = check_descriptors(tables)
    for p in problems:
        print("FAIL descriptor:", p)
    failures = 0
    via = {"interpreter": 0, "bindings": 0}
    for path in paths:
        try:
            (body, io), how = from_interpreter(path), "interpreter"
        except (ValueError, RuntimeError):
            (body, io), how = from_bindings(path), "bindings"
        expected = body + options_lines(path, tables) + io
        via[how] += 1
        run = subprocess.run([dump, path], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {path}: tfl_dump failed: {run.stderr.strip()}")
            failures += 1
            continue
        got = run.stdout.splitlines()
        for k in range(max(len(got), len(expected))):
            g = got[k] if k < len(got) else "<missing>"
            e = expected[k] if k < len(expected) else "<missing>"
            if g != e:
                print(f"FAIL {path} ({how}) line {k}:\n  xai:    {g}\n"
                      f"  litert: {e}")
                failures += 1
                break
    print(f"{len(tables)} options descriptors checked, {len(problems)} wrong")
    print(f"{len(paths)} models compared ({via['interpreter']} with the "
          f"LiteRT interpreter, {via['bindings']} with LiteRT's flatbuffer "
          f"bindings), {failures} mismatched")
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
