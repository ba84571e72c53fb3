"""Draws bench/chart.svg from the floor table of bench/RESULTS.md.

Usage: python3 bench/chart.py bench/RESULTS.md bench/chart.svg

One panel per mode (sequential, 64 concurrent), nginx run: a bar per client,
its share of the wire floor (wrk's time per lookup over the client's), grouped
by language, enneo's bars in the language's strong colour and its peers'
lighter. Reads the published table rather than the raw results so that the
chart and the numbers beside it cannot disagree. Standard library only.
"""

from __future__ import annotations

import re
import sys
from html import escape
from typing import Dict, List, Tuple

LANGS = ("rust", "python", "node")
COLOURS = {"rust": ("#b7410e", "#e8b89f"), "python": ("#2f6fad", "#a9c6e4"), "node": ("#3c873a", "#b2d8b0")}
ROW, BAR, LABEL_W, PLOT_W, PAD = 22, 15, 330, 380, 16


def floor_rows(markdown: str) -> Dict[str, List[Tuple[str, str, float]]]:
    """mode -> [(lang, client, share of floor in %)] for the nginx server."""
    panels: Dict[str, List[Tuple[str, str, float]]] = {"sequential": [], "concurrency 64": []}
    for line in markdown.splitlines():
        m = re.match(r"^\| nginx \| (rust|python|node): (.+?) \((sequential|concurrency 64)\) \| [\d.]+ \| (\d+)% \|$", line)
        if m:
            lang, client, mode, share = m.groups()
            panels[mode].append((lang, client, float(share)))
    return panels


def svg(panels: Dict[str, List[Tuple[str, str, float]]], caption: str) -> str:
    out: List[str] = []
    y = PAD
    width = LABEL_W + PLOT_W + 70
    body: List[str] = []
    for mode, rows in panels.items():
        if not rows:
            raise SystemExit(f"chart.py: no nginx rows for {mode} in the floor table")
        body.append(f'<text x="{PAD}" y="{y + 14}" font-weight="bold">{escape(mode.capitalize())}: share of the wire floor (wrk), higher is better</text>')
        y += 26
        rows = sorted(rows, key=lambda r: (LANGS.index(r[0]), not r[1].startswith("enneo"), -r[2]))
        for lang, client, share in rows:
            strong, light = COLOURS[lang]
            colour = strong if client.startswith("enneo") else light
            w = PLOT_W * min(share, 100) / 100
            label = f"{lang}: {client}"
            body.append(f'<text x="{LABEL_W - 8}" y="{y + 12}" text-anchor="end">{escape(label)}</text>')
            body.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{colour}"><title>{escape(label)}: {share:.0f}%</title></rect>')
            body.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 12}">{share:.0f}%</text>')
            y += ROW
        body.append(f'<line x1="{LABEL_W + PLOT_W}" y1="{y - ROW * len(rows) - 2}" x2="{LABEL_W + PLOT_W}" y2="{y}" stroke="#888" stroke-dasharray="4 3"/>')
        body.append(f'<text x="{LABEL_W + PLOT_W}" y="{y + 12}" text-anchor="middle" fill="#555">floor</text>')
        y += 30
    body.append(f'<text x="{PAD}" y="{y + 4}" fill="#555">{escape(caption)}</text>')
    height = y + PAD
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-label="Benchmark: each client as a share of the wire floor">'
    )
    out.append(f'<rect width="{width}" height="{height}" fill="#fff"/>')
    out.extend(body)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(results_md: str, out_svg: str) -> None:
    text = open(results_md, encoding="utf-8").read()
    when = re.search(r"^- Date: (.+)$", text, re.M)
    commit = re.search(r"^- Commit: `(\w+)`", text, re.M)
    caption = "make bench, nginx run" + (f", {when.group(1)}" if when else "") + (f", commit {commit.group(1)}" if commit else "") + "; one 2-core machine, clients and server share it"
    with open(out_svg, "w", encoding="utf-8") as f:
        f.write(svg(floor_rows(text), caption))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
