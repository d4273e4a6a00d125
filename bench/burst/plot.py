#!/usr/bin/python3
"""Plots a burst (bench/burst.sh): the kitchen's queue depth, and the API's latency, second by second.

    /usr/bin/python3 bench/burst/plot.py depth.tsv requests.tsv burst.svg
A small SVG written by hand (no plotting library here).
"""
import csv
import sys
from collections import defaultdict

depth_rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
requests = list(csv.DictReader(open(sys.argv[2]), delimiter="\t"))
depth = [(float(r["second"]), int(r["waiting"])) for r in depth_rows]
by_second = defaultdict(list)
for r in requests:
    by_second[int(float(r["second"]))].append(float(r["millis"]))


def percentile(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(-(-p * len(values) // 100)) - 1))]


latency = [(s + 0.5, percentile(v, 50), percentile(v, 99)) for s, v in sorted(by_second.items())]
width, panel, left, right, gap, top = 720, 200, 70, 30, 60, 40
height = top + 2 * panel + gap + 40
end = max([s for s, _ in depth] + [s for s, _, _ in latency]) or 1
top_depth = max([d for _, d in depth] + [1]) * 1.1
top_latency = max([p99 for _, _, p99 in latency] + [1]) * 1.2


def x(second):
    return left + second / end * (width - left - right)


def polyline(points, y0, scale, colour):
    return '<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
        colour, " ".join("%.1f,%.1f" % (x(s), y0 + panel - v / scale * panel) for s, v in points))


def axes(y0, label, scale, unit):
    parts = ['<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (left, y0 + panel, width - right, y0 + panel),
             '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (left, y0, left, y0 + panel),
             '<text x="%d" y="%d" font-size="13">%s</text>' % (left, y0 - 8, label)]
    for i in range(5):
        value = scale * i / 4
        y = y0 + panel - i / 4 * panel
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%s%s</text>' % (left - 6, y + 4, "%d" % value, unit))
        parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, width - right, y))
    return parts


out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (width, height),
       '<rect width="%d" height="%d" fill="white"/>' % (width, height),
       '<text x="%d" y="20" font-size="14">Lemonade stand: a burst absorbed by the kitchen\'s queue (2 cores, loopback)</text>' % left]
out += axes(top, "Kitchen queue depth (orders waiting)", top_depth, "")
out.append(polyline(depth, top, top_depth, "#1f77b4"))
y2 = top + panel + gap
out += axes(y2, "POST /lemonade/orders latency per second: p50 (green), p99 (red)", top_latency, " ms")
out.append(polyline([(s, p50) for s, p50, _ in latency], y2, top_latency, "#2ca02c"))
out.append(polyline([(s, p99) for s, _, p99 in latency], y2, top_latency, "#d62728"))
for i in range(6):
    second = end * i / 5
    out.append('<text x="%.1f" y="%d" text-anchor="middle">%d s</text>' % (x(second), y2 + panel + 16, second))
out.append("</svg>")
open(sys.argv[3], "w").write("\n".join(out) + "\n")
