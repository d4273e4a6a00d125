#!/usr/bin/python3
"""Turns the scaling.tsv of bench/scaling.sh into a small SVG chart (no plotting library needed).

    /usr/bin/python3 bench/plot-scaling.py bench/work/scaling-…/scaling.tsv docs/operations/scaling.svg
"""
import csv
import math
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
one = [(int(r["concurrency"]), int(r["grants_per_s"])) for r in rows if r["processes"] == "1"]
two = [(int(r["concurrency"]), int(r["grants_per_s"])) for r in rows if r["processes"] == "2"]
width, height, left, bottom, top, right = 640, 360, 70, 50, 30, 150
top_rate = max(rate for _, rate in one + two) * 1.15
levels = sorted({c for c, _ in one + two})


def x(concurrency):
    span = math.log2(levels[-1]) - math.log2(levels[0]) or 1
    return left + (math.log2(concurrency) - math.log2(levels[0])) / span * (width - left - right)


def y(rate):
    return height - bottom - rate / top_rate * (height - bottom - top)


out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       f'<text x="{left}" y="18" font-size="14">Coupon grants per second (2 cores, API latency 20 ms)</text>',
       f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#333"/>',
       f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#333"/>']
for c in levels:
    out.append(f'<text x="{x(c):.0f}" y="{height - bottom + 18}" text-anchor="middle">{c}</text>')
out.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 12}" text-anchor="middle">consumer concurrency per process</text>')
step = 10 ** max(0, int(math.log10(top_rate)))
step = step // 2 if top_rate / step < 4 else step
for tick in range(0, int(top_rate) + 1, max(1, step)):
    out.append(f'<line x1="{left - 4}" y1="{y(tick):.0f}" x2="{width - right}" y2="{y(tick):.0f}" stroke="#eee"/>')
    out.append(f'<text x="{left - 8}" y="{y(tick) + 4:.0f}" text-anchor="end">{tick}</text>')
for points, colour, label in ((one, "#2f6fde", "1 process"), (two, "#c98a00", "2 processes")):
    if not points:
        continue
    path = " ".join(f"{x(c):.1f},{y(r):.1f}" for c, r in sorted(points))
    out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for c, r in points:
        out.append(f'<circle cx="{x(c):.1f}" cy="{y(r):.1f}" r="3.5" fill="{colour}"/>')
        out.append(f'<text x="{x(c) + 6:.1f}" y="{y(r) - 6:.1f}" fill="{colour}">{r}</text>')
    legend_y = top + 20 * (1 if label == "1 process" else 2)
    out.append(f'<line x1="{width - right + 15}" y1="{legend_y - 4}" x2="{width - right + 35}" y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"/>')
    out.append(f'<text x="{width - right + 40}" y="{legend_y}">{label}</text>')
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
