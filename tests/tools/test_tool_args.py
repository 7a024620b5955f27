#!/usr/bin/env python3
"""Issue #12: every tool checks its file arguments (a readable regular file,
not empty) before reading them and range-checks its option values, with a
one-line error and a non-zero exit, never a crash.

Every option of every tool is listed in OPTIONS below with the bad values
it is tried with; the test reads each tool's --help and fails when the help
names an option the table does not list, so a new option needs a line here.
File arguments (MODEL, IMAGE, --params, --labels, --target-config, ...) are
tried as a directory, an empty file and a missing file. Content checks:
build_flash_file refuses non-TFLite models, params of another model, a
missing or extra params file; xai flash-info and xmos_flash refuse trailing
bytes; xformer --xcore-memory custom refuses no, empty or malformed
--target-config. No device is needed: every check runs before the tools
connect (the device given is a socket path that does not exist).
usage: test_tool_args.py TOOLS_DIR MODEL (TOOLS_DIR/NAME/NAME are the tools)"""
import os
import re
import subprocess
import sys
import tempfile

bindir, model = sys.argv[1], sys.argv[2]
failures = 0
NODEV = ["--device", "emu:/nonexistent/xai-test.sock"]


def tool(name):
    d = {"xmos_send_picture": "xmos_picture",
         "xmos_recv_picture": "xmos_picture"}.get(name, name)
    return os.path.join(bindir, d, name)


def run(args):
    try:
        return subprocess.run(args, capture_output=True, text=True,
                              timeout=30)
    except subprocess.TimeoutExpired:
        # e.g. an emulator that took a bad value and started serving
        return subprocess.CompletedProcess(args, -9, "", "timed out")


def expect(args, code, needle, what):
    global failures
    p = run(args)
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = (p.returncode == code and needle in p.stderr and p.returncode >= 0)
    if not ok:
        failures += 1
        print(f"FAIL {what}: exit {p.returncode}, stderr {p.stderr!r}")
    elif code == 1 and len(lines) != 1:
        failures += 1
        print(f"FAIL {what}: error is not one line: {p.stderr!r}")


with tempfile.TemporaryDirectory() as tmp:
    empty = os.path.join(tmp, "empty")
    open(empty, "wb").close()
    directory = os.path.join(tmp, "dir")
    os.mkdir(directory)
    out = os.path.join(tmp, "out")
    B = {n: tool(n) for n in ("xformer", "xai", "build_flash_file",
                              "xmos_send_model", "xmos_flash",
                              "xmos_classify")}


    cases = {
        "xformer": lambda f: [B["xformer"], f, "-o", out],
        "xai inspect": lambda f: [B["xai"], "inspect", f],
        "xai run": lambda f: [B["xai"], "run", f],
        "xai run --params": lambda f: [B["xai"], "run", model, "--params", f],
        "xai flash-info": lambda f: [B["xai"], "flash-info", f],
        "build_flash_file model": lambda f: [B["build_flash_file"], "-o", out,
                                             f, "-"],
        "build_flash_file params": lambda f: [B["build_flash_file"], "-o", out,
                                              model, f],
        "xmos_send_model": lambda f: [B["xmos_send_model"], f] + NODEV,
        "xmos_send_model --params": lambda f: [B["xmos_send_model"], model,
                                               "--params", f] + NODEV,
        "xmos_flash": lambda f: [B["xmos_flash"], f] + NODEV,
        "xmos_classify": lambda f: [B["xmos_classify"], f] + NODEV,
        "xmos_classify --labels": lambda f: [B["xmos_classify"], model,
                                             "--labels", f] + NODEV,
    }
    for what, make in cases.items():
        expect(make(directory), 1, "is a directory, not a regular file",
               f"{what} with a directory")
        expect(make(empty), 1, "is empty", f"{what} with an empty file")
        expect(make(os.path.join(tmp, "missing")), 1, "cannot open",
               f"{what} with a missing file")

    for t in ("xmos_send_model", "xmos_flash", "xmos_classify"):
        for bad in ("abc", "-1", "0", "12x", "99999999999"):
            expect([B[t], model, "--timeout-ms", bad] + NODEV, 2,
                   "bad --timeout-ms", f"{t} --timeout-ms {bad}")
    for t in ("xmos_send_model", "xmos_classify"):
        for bad in ("-1", "256", "x", ""):
            expect([B[t], model, "--engine", bad] + NODEV, 2, "bad --engine",
                   f"{t} --engine {bad!r}")

    # Every option of every tool: option -> bad values (None: a flag or a
    # free string, nothing to range-check; "FILE": a file argument, tried
    # above or below as a directory/empty/missing file).
    NUM = ["abc", "-1", "", "1x", "99999999999999999999999"]
    OPTIONS = {
        "xformer": {
            "--output": None, "--quiet": None, "--help": None,
            "--xcore-thread-count": NUM + ["0", "9"],
            "--xcore-tiles": NUM + ["0", "9"],
            "--xcore-chips": NUM + ["0", "5"],
            "--xcore-clock-mhz": NUM + ["99", "1001"],
            "--xcore-flash-entry": NUM + ["65536"],
            "--xcore-weight-load-budget": NUM,
            "--xcore-arena-budget": NUM,
            "--xcore-compact-requant-pixels": NUM,
            "--xcore-load-externally-if-larger": NUM,
            "--xcore-memory": ["bogus", ""],
            "--xcore-semantics": ["bogus", ""],
            "--xcore-flash-image-file": None, "--xcore-weights-file": None,
            "--xcore-keep-names": None, "--xcore-no-prefetch": None,
            "--xcore-no-tile-split": None,
            "--xcore-tile-split": None,
            "--xcore-pipeline": None,
            "--target-config": "FILE", "--report-json": None,
            "--report-html": None, "--emit-c": None,
            "--emit-c-name": None,  # checked with --emit-c (tests/emit_c)
            "--opt": None,  # "--opt VALUE" in the help's own prose
        },
        "xai run": {
            "--input": "FILE", "--output": None, "--params": "FILE",
            "--random": ["abc", "-1", "", "1x", "99999999999999999999999"],
            "--repeat": NUM + ["0", "1000001"],
            "--planner": ["bogus"], "--semantics": ["bogus"],
            "--arena": None, "--quiet": None,
            "--xcore-flash-image-file": None,
        },
        "xai inspect": {"--json": None},
        "xai report": {"--output": None, "--params": "FILE",
                       "--json": None, "--report-json": None,
                       "--clock-mhz": NUM + ["99", "1001"],
                       "--xcore-flash-image-file": None},
        "xai ops": {"--markdown": None},
        "xai flash-info": {},
        "xai device": {"--socket": None, "--help": None,
                       "--tiles": ["0", "abc"], "--sram-kib": ["abc", "-1"],
                       "--lpddr-mib": ["abc", "99999"],
                       "--flash": None, "--flash-mib": ["0", "abc"],
                       "--flash-mbps": ["0", "67"],
                       "--clock-mhz": ["abc", "99"],
                       "--idle-timeout-ms": ["abc", "0"],
                       "--link": ["bogus"], "--instant": None},
        "xai_device_emulator": {
            "--socket": None, "--foreground": None, "--instant": None,
            "--tiles": NUM + ["0"], "--sram-kib": NUM + ["63"],
            "--firmware-kib": NUM + ["0", "512"], "--lpddr-mib": NUM,
            "--flash": None, "--flash-mib": NUM + ["0"],
            "--flash-mbps": NUM + ["0", "67"], "--clock-mhz": NUM + ["99"],
            "--link": ["bogus", ""], "--spi-khz": NUM + ["99"],
            "--idle-timeout-ms": NUM + ["0", "49", "3600001"],
            "--chips": NUM + ["0", "5"], "--engines": NUM + ["0", "9"],
        },
        "build_flash_file": {"--output": None, "--help": None,
                             "--xcore-flash-image-file": None},  # prose
        "xmos_send_model": {
            "--device": None, "--timeout-ms": None, "--engine": None,
            "--memory": ["bogus", ""], "--params": "FILE",
            "--flash-entry": NUM + ["65536"],
            "--xcore-flash-image-file": None,
        },
        "xmos_flash": {"--device": None, "--timeout-ms": None},
        "xmos_classify": {"--device": None, "--timeout-ms": None,
                          "--engine": None, "--labels": "FILE",
                          "--input-range": ["1", "2,1", "1,1", "nan,1",
                                            "-inf,inf", "1,2x", ""]},
        "xmos_infer": {"--device": None, "--timeout-ms": None,
                       "--engine": None, "--input": "FILE", "--output": None,
                       "--pipeline": ["abc", "1", "9", "-1", "2x", ""]},
        "xmos_timings": {"--device": None, "--timeout-ms": None,
                         "--engine": None, "--format": ["bogus", ""]},
        "xmos_send_picture": {"--device": None, "--timeout-ms": None,
                              "--engine": None, "--no-invoke": None,
                              "--input-range": ["1", "2,1", "-inf,inf"],
                              "--tensor": NUM + ["65536"]},
        "xmos_recv_picture": {"--device": None, "--timeout-ms": None,
                              "--engine": None,
                              "--output-range": ["1", "2,1", "nan,1"],
                              "--tensor": NUM + ["65536"]},
    }
    # --timeout-ms and --engine of the xmos_* tools are shared (checked
    # above for three of them; here for all).
    for t in ("xmos_infer", "xmos_timings", "xmos_send_picture",
              "xmos_recv_picture"):
        OPTIONS[t]["--timeout-ms"] = ["abc", "-1", "0", "99999999999"]
        OPTIONS[t]["--engine"] = ["-1", "256", "x", ""]

    def argv_of(name):
        parts = name.split()
        return [tool(parts[0])] + parts[1:]

    # How each tool is called when one option is tried (valid otherwise).
    CALL = {
        "xformer": lambda: [model, "-o", out],
        "xai run": lambda: [model],
        "xai report": lambda: [model, "-o", out],
        "xai device": lambda: ["start", "--socket",
                               os.path.join(tmp, "never.sock")],
        "xai_device_emulator": lambda: ["--socket",
                                        os.path.join(tmp, "never.sock"),
                                        "--foreground"],
        "xmos_send_model": lambda: [model] + NODEV,
        "xmos_classify": lambda: [model] + NODEV,
        "xmos_infer": lambda: ["--output", out] + NODEV,
        "xmos_timings": lambda: NODEV,
        "xmos_send_picture": lambda: [model] + NODEV,
        "xmos_recv_picture": lambda: [out + ".png"] + NODEV,
    }

    for name, opts in OPTIONS.items():
        # The table lists every option the tool's help names.
        h = run(argv_of(name) + ["--help"])
        named = set(re.findall(r"(?<![\w-])--[a-z0-9][a-z0-9-]*",
                               h.stdout + h.stderr))
        for o in sorted(named - set(opts)):
            failures += 1
            print(f"FAIL {name}: --help names {o}, which this test does not "
                  "list (add it to OPTIONS with its bad values)")
        for opt, bad in opts.items():
            if not isinstance(bad, list):
                continue
            for v in bad:
                args = argv_of(name) + CALL.get(name, lambda: [])() + [opt, v]
                p = run(args)
                err = [l for l in p.stderr.splitlines() if l.strip()]
                if p.returncode not in (1, 2) or not err or \
                        opt not in err[0] or "usage" in err[0]:
                    failures += 1
                    print(f"FAIL {name} {opt} {v!r}: exit {p.returncode}, "
                          f"stderr {p.stderr!r}")
    for name, opts in OPTIONS.items():
        for opt, kind in opts.items():
            if kind != "FILE" or name in ("xai run", "xmos_send_model",
                                          "xmos_classify"):
                continue  # those are covered by `cases` above
            make = lambda f: (argv_of(name) + CALL.get(name, lambda: [])() +
                              [opt, f])
            expect(make(directory), 1, "is a directory, not a regular file",
                   f"{name} {opt} with a directory")
            expect(make(empty), 1, "is empty", f"{name} {opt} with an empty "
                   "file")

    # build_flash_file: what each file holds, not just that it is a file.
    xformer, bff = B["xformer"], B["build_flash_file"]
    split = os.path.join(tmp, "split.tflite")
    split_params = os.path.join(tmp, "split.params")
    other_params = os.path.join(tmp, "other.params")
    run([xformer, model, "-o", split, "--quiet", "--xcore-flash-image-file",
         split_params, "--xcore-load-externally-if-larger", "16"])
    # Another model's params: the same file with another hash in its
    # header (bytes 24..31).
    if os.path.exists(split_params):
        with open(split_params, "rb") as f:
            data = bytearray(f.read())
        data[24] ^= 0xFF
        with open(other_params, "wb") as f:
            f.write(data)
    junk = os.path.join(tmp, "junk.bin")
    with open(junk, "wb") as f:
        f.write(bytes(range(256)) * 8)
    have_split = os.path.exists(split_params) and os.path.exists(other_params)
    if not have_split:
        failures += 1
        print("FAIL the xformer wrote no params files for the content cases")
    else:
        image = os.path.join(tmp, "ok.img")
        expect([bff, "-o", image, split, split_params], 0, "", "a good pair")
        for args, needle in [
                ([junk, "-"], "not a TFLite model"),
                ([__file__, "-"], "not a TFLite model"),
                ([split, other_params], "does not belong to this model"),
                ([split, "-"], "reads its weights from a params file"),
                ([model, split_params], "has no params file"),
                (["-", junk], "is not a params file"),
                ([split, model], "is not the params file of")]:
            if os.path.exists(out):
                os.remove(out)
            expect([bff, "-o", out] + args, 1, needle,
                   f"build_flash_file {' '.join(os.path.basename(a) for a in args)}")
            check_absent = not os.path.exists(out)
            if not check_absent:
                failures += 1
                print(f"FAIL build_flash_file left {out} after an error")
        # A strict image reader: trailing bytes, through both readers.
        longer = os.path.join(tmp, "longer.img")
        with open(image, "rb") as f, open(longer, "wb") as g:
            g.write(f.read() + b"\0" * 10)
        expect([B["xai"], "flash-info", longer], 1, "10 bytes follow",
               "xai flash-info with trailing bytes")
        expect([B["xmos_flash"], longer] + NODEV, 1, "10 bytes follow",
               "xmos_flash with trailing bytes")

    # xformer --xcore-memory custom: no, empty, comment-only, malformed
    # or memory-less --target-config.
    cfgs = {"comment": "# nothing\n", "json": "{}",
            "malformed": "sram_kib = 512 lpddr\n",
            "badkey": "sram_kb = 512\n", "badval": "model_memory = rom\n",
            "nomem": "sram_kib = 512\n"}
    custom = [B["xformer"], model, "-o", out, "--xcore-memory", "custom"]
    expect(custom, 1, "none was given", "custom with no --target-config")
    expect(custom + ["--target-config", empty], 1, "is empty",
           "custom with an empty --target-config")
    for name, text in cfgs.items():
        path = os.path.join(tmp, name + ".cfg")
        with open(path, "w") as f:
            f.write(text)
        expect(custom + ["--target-config", path], 1, name + ".cfg"
               if name != "nomem" else "sets none of model_memory",
               f"custom with a {name} --target-config")

sys.exit(1 if failures else 0)
