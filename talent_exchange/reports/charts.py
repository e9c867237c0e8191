"""Geometry of the dashboard's charts, drawn as server-rendered SVG by the templates. Each
chart has a data table beside it with the same numbers, and a sentence that sums it up; the
colours have 3:1 contrast against white and the charts print in black and white (every bar
carries its number)."""

from __future__ import annotations

from typing import Any

BLUES = ("#005ea2", "#1a4480", "#162e51")


def short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def funnel(steps: list[tuple[str, int]]) -> dict[str, Any]:
    """A funnel as centred horizontal bars, each as wide as its count."""
    width, label_width, row_height, top = 640, 180, 34, 6
    space = width - label_width - 60
    peak = max([n for _label, n in steps] + [1])
    bars = []
    for i, (label, n) in enumerate(steps):
        bar = round(space * n / peak)
        y = top + i * row_height
        x = label_width + (space - bar) / 2
        bars.append(
            {
                "label": short(str(label)),
                "n": n,
                "x": x,
                "y": y,
                "width": bar,
                "text_y": y + 19,
                "value_x": label_width + space + 8,
                "fill": BLUES[i % 2],
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": top + len(steps) * row_height + 6,
        "bar_height": 26,
        "label_x": label_width - 8,
    }


def flow_matrix(names: list[str], counts: dict[tuple[int, int], int], ids: list[int]) -> dict:
    """A flow matrix: one row per home organisation (sent from), one column per host
    (received by); each cell's shade grows with the number of placements, and shows it."""
    cell, left, top = 34, 190, 150
    peak = max([*list(counts.values()), 1])
    cells = []
    for r, home in enumerate(ids):
        for c, host in enumerate(ids):
            n = counts.get((home, host), 0)
            shade = 0 if not n else 0.25 + 0.75 * n / peak
            cells.append(
                {
                    "x": left + c * cell,
                    "y": top + r * cell,
                    "n": n,
                    "opacity": round(shade, 2),
                    "dark": shade > 0.55,
                    "text_x": left + c * cell + cell / 2,
                    "text_y": top + r * cell + cell / 2 + 4,
                    "home": names[r],
                    "host": names[c],
                    "self": home == host,
                }
            )
    return {
        "cells": cells,
        "size": cell,
        "rows": [
            {"label": short(n, 24), "y": top + i * cell + cell / 2 + 4} for i, n in enumerate(names)
        ],
        "columns": [
            {"label": short(n, 18), "x": left + i * cell + cell / 2, "y": top - 6}
            for i, n in enumerate(names)
        ],
        "left": left,
        "top": top,
        "width": left + len(ids) * cell + 10,
        "height": top + len(ids) * cell + 10,
    }


def balance(rows: list[dict], left: str = "sent", right: str = "hosted") -> dict[str, Any]:
    """Two numbers per organisation as paired bars around a centre line (by default sent to
    the left, hosted to the right; money out and in for the money figure); the balance is
    the difference."""
    label_width, half, row_height, top = 190, 170, 28, 22
    peak = max([max(r[left], r[right]) for r in rows] + [1])
    centre = label_width + half
    bars = []
    for i, row in enumerate(rows):
        y = top + i * row_height
        sent = round(half * row[left] / peak)
        hosted = round(half * row[right] / peak)
        bars.append(
            {
                "label": short(row["name"], 24),
                "y": y,
                "text_y": y + 16,
                "sent_x": centre - sent,
                "sent": sent,
                "hosted": hosted,
                "n_sent": row[left],
                "n_hosted": row[right],
            }
        )
    return {
        "bars": bars,
        "centre": centre,
        "width": centre + half + 40,
        "height": top + len(rows) * row_height + 6,
        "label_x": label_width - 40,
        "bar_height": 20,
    }


def grouped(groups: list[tuple[str, list[tuple[str, float | None]]]], peak: float) -> dict:
    """Vertical bars in groups (a cohort, its measures), each bar labelled with its value."""
    bar_width, gap, group_gap, height, top = 22, 3, 30, 150, 16
    out, x = [], 36
    for label, values in groups:
        bars = []
        for i, (name, value) in enumerate(values):
            h = round(height * (value or 0) / peak) if peak else 0
            bars.append(
                {
                    "x": x + i * (bar_width + gap),
                    "y": top + height - h,
                    "height": h,
                    "width": bar_width,
                    "value": value,
                    "name": name,
                    "fill": BLUES[i % 3],
                    "text_x": x + i * (bar_width + gap) + bar_width / 2,
                    "text_y": top + height - h - 3,
                }
            )
        span = len(values) * (bar_width + gap) - gap
        out.append({"label": short(label, 16), "bars": bars, "label_x": x + span / 2})
        x += span + group_gap
    return {
        "groups": out,
        "width": max(x, 200),
        "height": top + height + 40,
        "base": top + height,
        "top": top,
    }
