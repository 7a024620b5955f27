"""Which copy of a bundled C library a package loads.

An installed package (pip install .) loads only the library installed next
to its own __init__.py. In a source tree (PYTHONPATH=python) the variable
named by the caller wins, else the newest plain build under build/: the
release build first, never a sanitizer or fuzzing build (an ASan library
inside an uninstrumented Python aborts at load).
"""
import glob
import os


def _plain_build(build_dir):
    cache = os.path.join(build_dir, "CMakeCache.txt")
    try:
        with open(cache, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    return ("XAI_SANITIZE:BOOL=ON" not in text and
            "XAI_FUZZ:BOOL=ON" not in text)


def find_library(package_dir, name, env_file=None, env_dir=None):
    """Path of `name` for the package in `package_dir`, or OSError."""
    bundled = os.path.join(package_dir, name)
    if os.path.exists(bundled):
        return bundled
    if env_file and os.environ.get(env_file):
        return os.environ[env_file]
    if env_dir and os.environ.get(env_dir):
        path = os.path.join(os.environ[env_dir], name)
        if os.path.exists(path):
            return path
    repo = os.path.dirname(os.path.dirname(os.path.abspath(package_dir)))
    builds = [d for d in glob.glob(os.path.join(repo, "build", "*"))
              if _plain_build(d)]
    found = [os.path.join(d, "python", name) for d in builds]
    found = [p for p in found if os.path.exists(p)]
    found.sort(key=lambda p: (os.path.basename(os.path.dirname(
        os.path.dirname(p))) != "release", -os.path.getmtime(p)))
    if found:
        return found[0]
    hint = f"set {env_file or env_dir}" if (env_file or env_dir) else ""
    raise OSError(f"{name} not found next to {package_dir} or in a release "
                  f"build of the source tree (scripts/build.sh release)"
                  f"{'; or ' + hint if hint else ''}")
