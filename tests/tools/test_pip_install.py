#!/usr/bin/env python3
"""`pip install` of the project into a fresh venv (docs/install.md): the
wheel is built with scikit-build-core from the source tree (no build
isolation, so no download; CMake builds incrementally in build/wheel), then
installed into a new venv, and from an unrelated directory:

- every command and every user-guide name (xformer.py, ...) is on PATH and
  answers --help;
- `from xmos_ai_xformer import xformer` and `from xmos_ai_ie import
  xcore_ai_ie, xcore_ai_ie_usb, xcore_ai_ie_spi` work and load the
  libraries inside the venv, never a build tree's;
- the guide's hello world runs: xformer.py, xmos_send_model.py,
  xmos_classify_mobilenet.py on a demo image (emulator on a private socket,
  started from the venv's PATH);
- the udev rule is installed with the package.

argv: the Python with scikit-build-core (build/venv), the source dir."""
import glob
import os
import subprocess
import sys
import tempfile

python, src = sys.argv[1], sys.argv[2]
COMMANDS = ["xai", "xformer", "build_flash_file", "xai_device_emulator",
            "xmos_send_model", "xmos_classify", "xmos_flash"]
GUIDE = ["xformer.py", "build_flash_file.py", "xmos_send_model.py",
         "xmos_load_model.py", "xmos_classify_mobilenet.py",
         "xmos_mobilenet_classify.py", "xmos_flash.py"]
# Later commands join the lists when they are built.
OPTIONAL = ["xmos_infer", "xmos_timings", "xmos_send_picture",
            "xmos_recv_picture"]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL {what}")


def run(args, env=None, cwd=None, timeout=600):
    r = subprocess.run(args, capture_output=True, text=True, env=env,
                       cwd=cwd, timeout=timeout)
    check(r.returncode == 0,
          f"{' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


try:
    import scikit_build_core  # noqa: F401
except ImportError:
    print("SKIP: scikit-build-core is not installed (scripts/setup.sh)")
    sys.exit(77)

with tempfile.TemporaryDirectory(prefix="xai-pip-") as tmp:
    wheels = os.path.join(tmp, "wheels")
    run([python, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
         "-q", "-w", wheels, src])
    found = glob.glob(os.path.join(wheels, "xai-*.whl"))
    check(len(found) == 1, f"one wheel expected, got {found}")
    if failures:
        sys.exit(1)
    venv = os.path.join(tmp, "venv")
    run([sys.executable, "-m", "venv", venv])
    vpy = os.path.join(venv, "bin", "python")
    run([vpy, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
         found[0]])
    bin_dir = os.path.join(venv, "bin")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "XAI_LIB_DIR", "XAI_HOST_PY_LIB",
                        "XAI_DEVICE_EMULATOR", "LD_PRELOAD")}
    env["PATH"] = bin_dir + os.pathsep + "/usr/bin:/bin"
    env["XAI_DEVICE_SOCKET"] = os.path.join(tmp, "dev.sock")
    work = os.path.join(tmp, "work")
    os.mkdir(work)

    names = COMMANDS + GUIDE + [c for c in OPTIONAL
                                if os.path.exists(os.path.join(bin_dir, c))]
    for name in names:
        path = os.path.join(bin_dir, name)
        check(os.access(path, os.X_OK), f"{name} is not installed in the venv")
        if os.access(path, os.X_OK):
            r = subprocess.run([name, "--help"], capture_output=True,
                               text=True, env=env, cwd=work, timeout=30)
            check(r.returncode == 0 and "usage" in (r.stdout + r.stderr).lower(),
                  f"{name} --help: exit {r.returncode}: {r.stdout}{r.stderr}")

    site = run([vpy, "-c", "import sysconfig; print(sysconfig.get_paths()"
                "['platlib'])"], env=env, cwd=work).stdout.strip()
    demo = os.path.join(src, "examples", "demo", "demo_classifier.tflite")
    r = run([vpy, "-c", f"""
from xmos_ai_xformer import xformer, _find_library as fx
from xmos_ai_ie import xcore_ai_ie, xcore_ai_ie_usb, xcore_ai_ie_spi
from xmos_ai_ie import _find_library as fi
from xmos_ai_ie import host_interpreter as hi
print(fx()); print(fi())
ip = hi.xcore_ai_host_interpreter(xformer({demo!r}))
print(hi._lib._name)
ip.write_input_tensor(bytes(ip.input_size)); ip.start_inference()
print(len(ip.read_output_bytes()))
"""], env=env, cwd=work)
    lines = r.stdout.split()
    check(len(lines) == 4 and all(p.startswith(site) for p in lines[:3]),
          f"libraries not loaded from the venv ({site}): {r.stdout}")

    model = os.path.join(work, "demo_xcore.tflite")
    run(["xformer.py", demo, "-o", model, "--quiet"], env=env, cwd=work)
    r = run(["xmos_send_model.py", model], env=env, cwd=work)
    check("input_size: 49152" in r.stdout, f"send_model output:\n{r.stdout}")
    image = sorted(glob.glob(os.path.join(src, "examples", "demo", "images",
                                          "*.png")))[0]
    label = os.path.basename(image).split("_")[0].upper()
    r = run(["xmos_classify_mobilenet.py", image, "--labels",
             os.path.join(src, "examples", "demo", "labels.txt")],
            env=env, cwd=work)
    check(label in r.stdout.upper(), f"{image} not classified {label}:\n"
          f"{r.stdout}")
    subprocess.run(["xai", "device", "stop"], env=env, cwd=work,
                   capture_output=True, timeout=30)
    rule = os.path.join(venv, "share", "xai", "99-xai-usb.rules")
    check(os.path.exists(rule), f"{rule} not installed")

print("FAILED" if failures else "OK")
sys.exit(1 if failures else 0)
