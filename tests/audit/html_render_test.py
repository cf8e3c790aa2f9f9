#!/usr/bin/env python3
"""The HTML audit report as a browser shows it: headless Chromium (Debian's
`chromium`) loads the report pgsieve wrote, runs its inline script, and
  - the DOM it dumps holds the three charts with one red bar per data point of
    the JSON report written in the same run (rejections per time bucket, per
    reason, per user), each bar carrying its value, and the tables filled;
  - a screenshot has the charts' red pixels (the bars are drawn, not just in
    the DOM).
The page is opened from a file with networking switched off in the browser
as far as flags go, and its Content-Security-Policy forbids every fetch.

  usage: html_render_test.py PGSIEVE_BIN SOURCE_DIR
Exit 77 (meson: skipped) when chromium is not installed.
"""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

PGSIEVE, SOURCE = sys.argv[1], sys.argv[2]
LOGS = os.path.join(SOURCE, "tests", "data", "logs")
REJECT_RED = (0xC6, 0x28, 0x28)  # --reject in report_html.cc

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)


class Dom(html.parser.HTMLParser):
    """Collects, per chart container id, the rect elements with class "bar"."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, id of the enclosing chart or None)
        self.bars = {}
        self.rows = {}
        self.body = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        chart = self.stack[-1][1] if self.stack else None
        table = self.stack[-1][2] if self.stack else None
        if a.get("id", "").startswith("chart-"):
            chart = a["id"]
        if tag == "table" and "id" in a:
            table = a["id"]
        if tag == "body":
            self.body = a
        if tag == "rect" and "bar" in a.get("class", "").split() and chart:
            self.bars.setdefault(chart, []).append(a)
        if tag == "tr" and table:
            self.rows[table] = self.rows.get(table, 0) + 1
        if tag not in ("meta", "br", "img", "input", "link"):
            self.stack.append((tag, chart, table))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif ftype == 2:
            for x in range(stride):
                line[x] = (line[x] + prev[x]) & 0xFF
        elif ftype == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 0xFF
        elif ftype == 4:
            for x in range(stride):
                a = line[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed (bash .ci/install-deps installs Debian's chromium): skipped")
        return 77
    work = tempfile.mkdtemp(prefix="pgsieve-html-test-")
    try:
        report_json = os.path.join(work, "report.json")
        report_html = os.path.join(work, "report.html")
        inputs = [os.path.join(LOGS, n) for n in ("postgresql.csv", "postgresql.json", "requests.jsonl")]
        run = subprocess.run([PGSIEVE, "audit", "-q", "--json", report_json, "--html", report_html] + inputs,
                             capture_output=True, text=True, timeout=120)
        check(run.returncode == 0, "pgsieve audit exited %d: %s" % (run.returncode, run.stderr))
        with open(report_json, encoding="utf-8") as f:
            report = json.load(f)

        flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars",
                 "--user-data-dir=" + os.path.join(work, "profile"), "--window-size=1100,1500",
                 "--virtual-time-budget=5000"]
        url = "file://" + report_html
        dom_run = subprocess.run(flags + ["--dump-dom", url], capture_output=True, text=True, timeout=180)
        check(dom_run.returncode == 0, "chromium --dump-dom exited %d: %s" % (dom_run.returncode, dom_run.stderr[-2000:]))
        dom = Dom()
        dom.feed(dom_run.stdout)
        check(dom.body.get("data-rendered") == "true", "the report script did not run to its end")

        buckets = report["timeline"]["buckets"]
        users = [u for u in report["by_user"] if u["rejected"] > 0][:15]
        expected = {
            "chart-time": [str(b["rejected"]) for b in buckets],
            "chart-reason": [str(r["statements"]) for r in report["by_reason"][:15]],
            "chart-user": [str(u["rejected"]) for u in users],
        }
        check(len(buckets) > 1 and len(report["by_reason"]) >= 4 and len(users) >= 3,
              "the fixture report should have several buckets, reasons and users")
        for chart, values in expected.items():
            bars = dom.bars.get(chart, [])
            got = [b.get("data-value") for b in bars]
            check(got == values, "%s: bars %s, expected %s" % (chart, got, values))
            drawn = [b for b in bars if float(b.get("width", "0")) > 0 and float(b.get("height", "0")) > 0]
            nonzero = [v for v in values if v != "0"]
            check(len(drawn) == len(nonzero), "%s: %d bars with a size, expected %d" % (chart, len(drawn), len(nonzero)))
        check(dom.rows.get("top-rejected", 0) == len(report["top_rejected"]) + 1,
              "top-rejected table rows: %s" % dom.rows.get("top-rejected"))
        check(dom.rows.get("inputs", 0) == len(report["inputs"]) + 1, "inputs table rows: %s" % dom.rows.get("inputs"))
        print("DOM: %d time buckets, %d reasons, %d users drawn as bars" %
              (len(expected["chart-time"]), len(expected["chart-reason"]), len(expected["chart-user"])))

        shot = os.path.join(work, "report.png")
        shot_run = subprocess.run(flags + ["--screenshot=" + shot, url], capture_output=True, text=True, timeout=180)
        check(shot_run.returncode == 0 and os.path.exists(shot), "chromium --screenshot failed: " + shot_run.stderr[-2000:])
        if os.path.exists(shot):
            width, height, bpp, rows = png_pixels(shot)
            red = 0
            for row in rows:
                for x in range(0, width * bpp, bpp):
                    r, g, b = row[x], row[x + 1], row[x + 2]
                    if abs(r - REJECT_RED[0]) < 24 and abs(g - REJECT_RED[1]) < 24 and abs(b - REJECT_RED[2]) < 24:
                        red += 1
            print("screenshot %dx%d: %d pixels in the rejection red" % (width, height, red))
            check(red > 3000, "the screenshot has %d red pixels: the bars were not drawn" % red)
            keep = os.environ.get("PGSIEVE_KEEP_SCREENSHOT")
            if keep:
                shutil.copy(shot, keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failed" % len(failures))
        return 1
    print("HTML report rendered in headless Chromium: charts drawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
