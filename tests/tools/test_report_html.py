"""The HTML report (xformer --report-html, xai report) rendered by headless
Chromium: the page is not blank, it shows every layer of the JSON report,
and its SVG and memory map are there. Skips when Chromium is absent.

Usage: test_report_html.py XFORMER XAI MODEL WORK_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys
import zlib

import numpy as np


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(exe, args, timeout=120):
    # a private profile directory: parallel runs and root both need one
    prof = os.path.join(WORK, "profile")
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu",
           "--hide-scrollbars", f"--user-data-dir={prof}"] + args
    return subprocess.run(cmd, capture_output=True, timeout=timeout)


def png_pixels(path):
    """(H, W, C) uint8 of an 8-bit RGB or RGBA PNG, any row filters."""
    blob = open(path, "rb").read()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(blob):
        n = int.from_bytes(blob[pos:pos + 4], "big")
        kind, data = blob[pos + 4:pos + 8], blob[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = data
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    w, h = int.from_bytes(hdr[0:4], "big"), int.from_bytes(hdr[4:8], "big")
    depth, colour = hdr[8], hdr[9]
    assert depth == 8 and colour in (2, 6), f"PNG depth {depth} colour {colour}"
    c = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * c
    out = np.zeros((h, stride), np.int32)
    prev = np.zeros(stride, np.int32)
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        if f == 1:
            for x in range(c, stride):
                row[x] = (row[x] + row[x - c]) & 255
        elif f == 2:
            row = (row + prev) & 255
        elif f == 3:
            for x in range(stride):
                left = row[x - c] if x >= c else 0
                row[x] = (row[x] + (left + prev[x]) // 2) & 255
        elif f == 4:
            for x in range(stride):
                a = row[x - c] if x >= c else 0
                b, cc = prev[x], prev[x - c] if x >= c else 0
                p = a + b - cc
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - cc)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else cc
                row[x] = (row[x] + pred) & 255
        out[y] = row
        prev = row
    return out.reshape(h, w, c)[:, :, :3].astype(np.uint8)


def check_page(exe, html, layers):
    png = html + ".png"
    r = run_chromium(exe, ["--window-size=1000,1400", f"--screenshot={png}",
                           "file://" + html])
    assert r.returncode == 0 and os.path.exists(png), r.stderr.decode()[-800:]
    px = png_pixels(png)
    ink = np.any(px < 200, axis=2).mean()
    coloured = (np.ptp(px.astype(np.int32), axis=2) > 60).mean()
    assert ink > 0.02, f"{html}: the screenshot is blank ({ink:.3%} ink)"
    assert coloured > 0.002, f"{html}: no coloured bars ({coloured:.3%})"
    dom = run_chromium(exe, ["--dump-dom", "file://" + html]).stdout.decode()
    rows = len(re.findall(r'<tr class="layer">', dom))
    assert rows == layers, f"{html}: {rows} layer rows, the report has {layers}"
    assert "<svg" in dom and 'id="arena"' in dom, "no arena chart"
    assert "SRAM, tile 0" in dom, "no memory map"
    print(f"ok: {os.path.basename(html)}: {rows} layers, {ink:.1%} ink, "
          f"{coloured:.1%} coloured")


def main():
    global WORK
    xformer, xai, model, WORK = sys.argv[1:5]
    exe = chromium()
    if not exe:
        print("SKIP: chromium not installed (scripts/setup.sh installs it)")
        return 77
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    out = os.path.join(WORK, "m.tflite")
    html = os.path.join(WORK, "xformer.html")
    js = os.path.join(WORK, "m.json")
    params = os.path.join(WORK, "m.params")
    subprocess.run([xformer, model, "-o", out, "--report-html", html,
                    "--report-json", js, "--xcore-flash-image-file", params,
                    "--xcore-load-externally-if-larger", "100", "--quiet"],
                   check=True)
    layers = len(json.load(open(js))["layers"])
    check_page(exe, html, layers)
    page = open(html).read()
    assert "Weight loads" in page and "hidden under compute" in page
    report = os.path.join(WORK, "xai.html")
    subprocess.run([xai, "report", out, "--params", params, "-o", report],
                   check=True, capture_output=True)
    check_page(exe, report, layers)
    r = subprocess.run([xai, "report", os.path.join(WORK, "nope.tflite"), "-o",
                        report], capture_output=True, text=True)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    print("report_html: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
