"""Runs every command of docs/guide.md in order, as a user would: from a
scratch directory with examples/ linked in, the build's commands on PATH,
a private device emulator socket. A line ending in `# fails` must fail;
every other must succeed.

Usage: test_guide.py SOURCE_DIR BUILD_DIR WORK_DIR"""
import os
import re
import shutil
import subprocess
import sys


def commands(guide):
    out, in_block = [], False
    for line in open(guide):
        if line.startswith("```"):
            in_block = line.strip() == "```console" and not in_block
            continue
        if in_block and line.startswith("$ "):
            out.append(line[2:].rstrip("\n"))
    return out


def main():
    src, build, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.symlink(os.path.join(src, "examples"), os.path.join(work, "examples"))
    tools = os.path.join(build, "tools")
    path = [os.path.join(tools, d) for d in sorted(os.listdir(tools))
            if os.path.isdir(os.path.join(tools, d))]
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(path + [env.get("PATH", "")])
    env["XAI_DEVICE_SOCKET"] = os.path.join(work, "device.sock")
    env["PYTHONPATH"] = os.path.join(src, "python")
    env["XAI_LIB_DIR"] = os.path.join(build, "python")
    cmds = commands(os.path.join(src, "docs", "guide.md"))
    assert len(cmds) > 20, f"only {len(cmds)} commands found in the guide"
    failed = 0
    try:
        for cmd in cmds:
            expect_fail = bool(re.search(r"#\s*fails\s*$", cmd))
            r = subprocess.run(["bash", "-c", cmd], cwd=work, env=env,
                               capture_output=True, text=True, timeout=300)
            ok = (r.returncode != 0) == expect_fail
            if expect_fail and ok:
                lines = r.stderr.strip().splitlines()
                ok = len(lines) == 1  # the error is one line
            print(("ok   " if ok else "FAIL ") + cmd)
            if not ok:
                failed += 1
                print(f"     exit {r.returncode}\n     stdout: {r.stdout[-600:]}"
                      f"\n     stderr: {r.stderr[-600:]}")
    finally:
        subprocess.run(["bash", "-c", "xai device stop"], cwd=work, env=env,
                       capture_output=True)
    print(f"docs_guide: {len(cmds) - failed} of {len(cmds)} commands as "
          "the guide says")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
