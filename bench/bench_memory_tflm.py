"""Prints TFLite Micro's arena for a model: `total N`, `head N`, `tail N`.

Used by bench_memory_plan (same run, PyPI tflite-micro). The interpreter
reports its allocations on stderr from C++, so they are read back from a
child process."""
import subprocess
import sys


def main(path):
    code = ("from tflite_micro.python.tflite_micro import runtime\n"
            "runtime.Interpreter.from_file(%r, arena_size=64 << 20)"
            ".print_allocations()\n" % path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True).stderr
    for line in out.splitlines():
        for key in ("total", "head", "tail"):
            tag = "Arena allocation %s " % key
            if tag in line:
                print(key, line.split(tag)[1].split()[0])


if __name__ == "__main__":
    main(sys.argv[1])
