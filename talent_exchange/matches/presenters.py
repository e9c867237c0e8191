"""Display logic for match runs: the engine's result with names, and the pictures.

The engine speaks in ids (``n12``, ``o7``, organisation ids as strings); these functions turn a
run's result into rows a person reads, with a fixed number of queries (one each for the
nominations, opportunities and organisations involved), and lay out the server-rendered SVG
charts (coordinates computed here, so templates only draw).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.organizations.models import Organization

from . import explanations
from .market import parse_key
from .models import RowKind, stored_rows


@dataclass
class Names:
    nominations: dict[int, Nomination] = field(default_factory=dict)
    opportunities: dict[int, Opportunity] = field(default_factory=dict)
    organizations: dict[int, Organization] = field(default_factory=dict)

    def participant(self, key: str):
        return self.nominations.get(parse_key(key))

    def slot(self, key: str):
        return self.opportunities.get(parse_key(key))

    def organization(self, key: str) -> str:
        org = self.organizations.get(int(key)) if key.isdigit() else None
        return org.name if org else key


_KEY = re.compile(r"\b([no])(\d+)\b")


def humanize(text: str, names: Names) -> str:
    """The engine's English explanation with names for its ids ("o12 is full" → "Budget at
    A is full"); an id we cannot name stays as it is. For results stored before the engine
    gave structured reasons (:func:`explanation` words those in the reader's language)."""

    def name(match: re.Match) -> str:
        kind, pk = match.group(1), int(match.group(2))
        if kind == "o" and pk in names.opportunities:
            return f"“{names.opportunities[pk].local_title}”"
        if kind == "n" and pk in names.nominations:
            return str(names.nominations[pk].person)
        return match.group(0)

    return _KEY.sub(name, text)


def explanation(row: dict, names: Names) -> str:
    """Why this result row is what it is, in the reader's language (the engine's structured
    reasons), or the stored English sentence of an older result."""
    if "reasons" not in row:
        return humanize(row.get("reason", ""), names)

    def slot_name(key: str) -> str:
        opportunity = names.slot(key)
        return f"“{opportunity.local_title}”" if opportunity else key

    return explanations.explain(row["reasons"], slot_name)


def _slot_keys(row: dict) -> list[str]:
    keys = []
    for reason in row.get("reasons", []):
        keys += reason.get("slots", [])
        if "slot" in reason:
            keys.append(reason["slot"])
    return keys


def names_for(runs) -> Names:
    """Names for everything the runs' markets mention (for small runs and tests; pages use
    :func:`names_for_rows`, which loads only what they show)."""
    nominations: set[int] = set()
    opportunities: set[int] = set()
    for run in runs:
        market = run.market or {}
        nominations.update(parse_key(p["id"]) for p in market.get("participants", []))
        opportunities.update(parse_key(s["id"]) for s in market.get("slots", []))
    return _load_names(nominations, opportunities, _organization_ids(runs))


def names_for_rows(run, rows: list[dict]) -> Names:
    """Names for the result rows shown (and the ids their reasons mention), in 3 queries."""
    nominations: set[int] = set()
    opportunities: set[int] = set()
    for row in rows:
        nominations.add(parse_key(row["participant"]))
        if "slot" in row:
            opportunities.add(parse_key(row["slot"]))
        if "reasons" in row:
            opportunities.update(parse_key(key) for key in _slot_keys(row))
            continue
        for kind, pk in _KEY.findall(row.get("reason", "")):
            (opportunities if kind == "o" else nominations).add(int(pk))
    return _load_names(nominations, opportunities, _organization_ids([run]))


def _organization_ids(runs) -> set[int]:
    return {
        int(o["organization"])
        for run in runs
        for o in ((run.summary or {}).get("metrics") or {}).get("organizations", [])
        if str(o["organization"]).isdigit()
    }


@dataclass
class ResultPage:
    page: Page
    unmatched: list[dict]


def result_page(run, number, per_page: int, unmatched_shown: int) -> ResultPage:
    """One page of the run's assignments and its first unmatched participants, read from
    the blocks of rows that page needs (never the whole result)."""
    rows: Any = stored_rows(run, RowKind.ASSIGNMENTS)  # a sequence Paginator slices
    page: Page = Paginator(rows, per_page).get_page(number)
    return ResultPage(page, stored_rows(run, RowKind.UNMATCHED)[:unmatched_shown])


def _load_names(nomination_ids, opportunity_ids, org_ids) -> Names:
    return Names(
        nominations={
            n.pk: n
            for n in Nomination.objects.filter(pk__in=nomination_ids).select_related(
                "person", "home_organization"
            )
        },
        opportunities={
            o.pk: o
            for o in Opportunity.objects.filter(pk__in=opportunity_ids).select_related(
                "host_organization"
            )
        },
        organizations={o.pk: o for o in Organization.objects.filter(pk__in=org_ids)},
    )


def named(rows: list[dict], names: Names) -> list[dict]:
    """Result rows with their nomination, opportunity and explanation in words."""
    return [
        {
            **row,
            "nomination": names.participant(row["participant"]),
            "opportunity": names.slot(row["slot"]) if "slot" in row else None,
            "explanation": explanation(row, names),
        }
        for row in rows
    ]


def headline_metrics(result: dict) -> dict:
    metrics = result.get("metrics") or {}
    histogram = {row["rank"]: row["count"] for row in metrics.get("participant_rank_histogram", [])}
    return {
        "total_weight": metrics.get("total_weight", 0),
        "first_choices": histogram.get(1, 0),
        "matched": metrics.get("matched", 0),
        "unmatched": metrics.get("unmatched", 0),
        "blocking_pairs": metrics.get("blocking_pairs", 0),
        "max_imbalance": metrics.get("max_imbalance", 0),
        "participants": metrics.get("participants", 0),
    }


# --- pictures -------------------------------------------------------------------------------

CELL = 44
MATRIX_MAX_ORGANIZATIONS = 40
LABEL_WIDTH = 190
TOP_LABELS = 110


FLOWS_SHOWN = 40


def exchange_matrix(run, names: Names) -> dict:
    """Home organisation → host organisation counts (the summary's flows), as a heat map's
    cells and a table; beyond MATRIX_MAX_ORGANIZATIONS, only the largest flows, listed."""
    summary = run.summary or {}
    counts = {(a, b): n for a, b, n in summary.get("flows", [])}
    orgs = [row["organization"] for row in (summary.get("metrics") or {}).get("organizations", [])]
    size = len(orgs)
    if size > MATRIX_MAX_ORGANIZATIONS:
        largest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FLOWS_SHOWN]
        return {
            "drawable": False,
            "flows": [
                {"from": names.organization(a), "to": names.organization(b), "n": n}
                for (a, b), n in largest
            ],
            "flows_hidden": max(0, len(counts) - FLOWS_SHOWN),
        }
    labels = [names.organization(o) for o in orgs]
    peak = max(counts.values(), default=0)
    cells = []
    for i, sender in enumerate(orgs):
        for j, receiver in enumerate(orgs):
            n = counts.get((sender, receiver), 0)
            shade = n / peak if peak else 0
            cells.append(
                {
                    "x": LABEL_WIDTH + j * CELL,
                    "y": TOP_LABELS + i * CELL,
                    "n": n,
                    "opacity": f"{0.08 + 0.92 * shade:.2f}" if n else "0",
                    "dark": shade > 0.5,
                    "from": labels[i],
                    "to": labels[j],
                }
            )
    return {
        "drawable": True,
        "labels": [
            {
                "name": label,
                "row_y": TOP_LABELS + i * CELL + CELL / 2 + 5,
                "col_x": LABEL_WIDTH + i * CELL + CELL / 2,
            }
            for i, label in enumerate(labels)
        ],
        "cells": cells,
        "cell": CELL,
        "label_width": LABEL_WIDTH,
        "top": TOP_LABELS,
        "width": LABEL_WIDTH + size * CELL + 10,
        "height": TOP_LABELS + size * CELL + 10,
        "table": [
            {"name": labels[i], "counts": [counts.get((s, r), 0) for r in orgs]}
            for i, s in enumerate(orgs)
        ],
        "columns": labels,
    }


BAR_SCALE_WIDTH = 300
BAR_HEIGHT = 14


def balance_bars(run, names: Names) -> dict:
    """Sent and received per organisation, as paired horizontal bars; beyond
    MATRIX_MAX_ORGANIZATIONS, the organisations furthest from balance only."""
    rows = ((run.summary or {}).get("metrics") or {}).get("organizations", [])
    hidden = 0
    if len(rows) > MATRIX_MAX_ORGANIZATIONS:
        hidden = len(rows) - MATRIX_MAX_ORGANIZATIONS
        rows = sorted(rows, key=lambda r: (-abs(r["balance"]), -(r["sent"] + r["received"])))
        rows = rows[:MATRIX_MAX_ORGANIZATIONS]
    peak = max([max(r["sent"], r["received"]) for r in rows] or [0]) or 1
    bars = []
    for i, row in enumerate(rows):
        y = 10 + i * (2 * BAR_HEIGHT + 16)
        bars.append(
            {
                "name": names.organization(str(row["organization"])),
                "sent": row["sent"],
                "received": row["received"],
                "balance": row["balance"],
                "y": y,
                "label_y": y + BAR_HEIGHT + 4,
                "sent_width": round(BAR_SCALE_WIDTH * row["sent"] / peak, 1),
                "received_y": y + BAR_HEIGHT,
                "received_width": round(BAR_SCALE_WIDTH * row["received"] / peak, 1),
                "sent_text_y": y + BAR_HEIGHT - 3,
                "sent_text_x": LABEL_WIDTH + round(BAR_SCALE_WIDTH * row["sent"] / peak, 1) + 4,
                "received_text_x": LABEL_WIDTH
                + round(BAR_SCALE_WIDTH * row["received"] / peak, 1)
                + 4,
                "received_text_y": y + 2 * BAR_HEIGHT - 3,
            }
        )
    return {
        "bars": bars,
        "hidden": hidden,
        "x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_SCALE_WIDTH + 60,
        "height": 20 + len(rows) * (2 * BAR_HEIGHT + 16) + 20,
        "legend_y": 20 + len(rows) * (2 * BAR_HEIGHT + 16),
    }


COMPARED = (
    ("total_weight", _("Total fit (weight)"), True),
    ("first_choices", _("First choices"), True),
    ("matched", _("Matched"), True),
    ("unmatched", _("Unmatched"), False),
    ("blocking_pairs", _("Blocking pairs"), False),
    ("max_imbalance", _("Largest balance deviation"), False),
)


def comparison(first, second) -> dict:
    """The two runs' headline metrics side by side, each row also drawn as two bars scaled
    to that row's larger value (the metrics have different units)."""
    a = headline_metrics(first.summary or {})
    b = headline_metrics(second.summary or {})
    rows = []
    for i, (key, label, more_is_better) in enumerate(COMPARED):
        va, vb = a[key], b[key]
        peak = max(va, vb) or 1
        better = None
        if va != vb:
            better = "a" if (va > vb) == more_is_better else "b"
        y = 10 + i * (2 * BAR_HEIGHT + 16)
        rows.append(
            {
                "label": str(label),
                "a": va,
                "b": vb,
                "better": better,
                "more_is_better": more_is_better,
                "y": y,
                "label_y": y + BAR_HEIGHT + 4,
                "a_width": round(BAR_SCALE_WIDTH * va / peak, 1),
                "b_y": y + BAR_HEIGHT,
                "b_width": round(BAR_SCALE_WIDTH * vb / peak, 1),
                "a_text_y": y + BAR_HEIGHT - 3,
                "a_text_x": LABEL_WIDTH + round(BAR_SCALE_WIDTH * va / peak, 1) + 4,
                "b_text_x": LABEL_WIDTH + round(BAR_SCALE_WIDTH * vb / peak, 1) + 4,
                "b_text_y": y + 2 * BAR_HEIGHT - 3,
            }
        )
    return {
        "rows": rows,
        "x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_SCALE_WIDTH + 80,
        "height": 20 + len(rows) * (2 * BAR_HEIGHT + 16) + 20,
        "legend_y": 20 + len(rows) * (2 * BAR_HEIGHT + 16),
    }
