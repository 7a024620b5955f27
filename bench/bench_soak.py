#!/usr/bin/env python3
"""The long soak (issue #12; the CI test tools_soak runs 5,000): inferences
against the emulator while other clients are killed, stopped and fed
garbage, every output checked against the host, the emulator's memory
sampled at start and end.

usage: bench/bench_soak.py BUILD_DIR [INFERENCES (100000)] [SEED]
e.g.   bench/bench_soak.py build/release 200000 7"""
import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build/release"
n = sys.argv[2] if len(sys.argv) > 2 else "100000"
seed = sys.argv[3] if len(sys.argv) > 3 else "12"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.exit(subprocess.call([
    sys.executable, os.path.join(root, "tests", "tools", "test_soak.py"),
    os.path.join(build, "tools"),
    os.path.join(build, "python", "libxai_host_py.so"),
    os.path.join(root, "examples", "models", "hello_conv_int8.tflite"),
    "--inferences", n, "--seed", seed, "--max-seconds", "86400",
    "--rss-bound-kib", "2048"]))
