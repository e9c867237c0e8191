"""What the placement pages show, computed from prefetched rows (no query per row)."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    OUTCOME_MONTHS,
    PLACEMENT_WORKFLOW,
    Evaluation,
    Outcome,
    Party,
    Placement,
    Respondent,
    Stage,
    Status,
)
from .rules import parties_for, respondent_roles_for


def placement_page(placement: Placement, user, today: date) -> dict:
    agreement = placement.agreement
    current = {s.party: s for s in agreement.signatures.all() if s.version == agreement.version}
    voided = [s for s in agreement.signatures.all() if s.version != agreement.version]
    my_parties = parties_for(user, placement)
    my_roles = respondent_roles_for(user, placement)
    evaluations = sorted(
        placement.evaluations.all(),
        key=lambda e: (e.stage != Stage.MIDPOINT, list(Respondent.values).index(e.respondent)),
    )
    checkins = list(placement.checkins.all())
    return {
        "placement": placement,
        "agreement": agreement,
        "signature_rows": [
            {"party": Party(p).label, "signature": current.get(p), "value": p} for p in Party.values
        ],
        "voided_signatures": voided,
        "can_sign_as": [
            (p, Party(p).label) for p in my_parties if p not in current and not agreement.is_frozen
        ],
        "can_edit_terms": not agreement.is_frozen
        and user.has_perm("placements.change_agreement", placement),
        "allowed": PLACEMENT_WORKFLOW.available_names(placement, user),
        "can_manage": placement.status != Status.CLOSED
        and user.has_perm("placements.manage_placement", placement),
        "can_record_checkins": user.has_perm("placements.record_checkin", placement),
        "can_record_outcomes": user.has_perm("placements.record_outcome", placement),
        "moves": [
            (action.name, action.label)
            for action in PLACEMENT_WORKFLOW.available_actions(placement, user)
            if action.moves
        ],
        "checkins": [
            {"checkin": c, "overdue": c.is_overdue(today) and placement.is_running}
            for c in checkins
        ],
        "evaluations": [
            {
                "evaluation": e,
                "mine": e.respondent in my_roles and e.submitted_at is None,
                "nobody": (
                    e.respondent == Respondent.HOME_SUPERVISOR and not placement.home_supervisor_id
                )
                or (e.respondent == Respondent.HOST_SUPERVISOR and not placement.coach_id),
            }
            for e in evaluations
        ],
        "objectives": list(placement.objectives.all()),
        "outcomes": list(placement.outcomes.all()),
        "transitions": list(placement.transitions.all()),
        "today": today,
        "needs_conflict": placement.host_organization.is_external,
        # each party attests for themselves: only the participant ticks their attestation
        "can_attest": Party.PARTICIPANT in my_parties
        and bool(agreement.conflict_statement)
        and not agreement.conflict_attested
        and not agreement.is_frozen,
    }


# ---------------------------------------------------------------------------------------------
# Program results
# ---------------------------------------------------------------------------------------------

# field, label in the table, short label under the chart's bars
MEASURES = (
    ("promoted", _("Promoted"), _("Promoted")),
    ("new_role", _("In a new role"), _("New role")),
    ("still_with_home", _("Still with the home organisation"), _("Stayed home")),
    ("obligation_fulfilled", _("Return-service obligation met"), _("Obligation met")),
)


def program_results(program) -> dict:
    """Counts per status and, per outcome milestone, how many recorded outcomes say yes to
    each measure — in two queries."""
    placements = Placement.objects.filter(program=program)
    by_status = dict(
        placements.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    status_rows = [(label, by_status.get(value, 0)) for value, label in Status.choices]
    aggregates = {}
    for months in OUTCOME_MONTHS:
        recorded = Q(placement__program=program, months_after=months, recorded_at__isnull=False)
        aggregates[f"n_{months}"] = Count("pk", filter=recorded)
        for field, _label, _short in MEASURES:
            aggregates[f"{field}_{months}"] = Count("pk", filter=recorded & Q(**{field: True}))
    totals = Outcome.objects.aggregate(**aggregates)
    rows = []
    for field, label, short in MEASURES:
        rows.append(
            {
                "label": label,
                "short": short,
                "counts": [
                    (months, totals[f"{field}_{months}"], totals[f"n_{months}"])
                    for months in OUTCOME_MONTHS
                ],
            }
        )
    recorded_counts = [(months, totals[f"n_{months}"]) for months in OUTCOME_MONTHS]
    return {
        "status_rows": status_rows,
        "placement_count": sum(by_status.values()),
        "outcome_rows": rows,
        "recorded": recorded_counts,
        "chart": _chart(rows),
        **program_story(program, placements, totals),
    }


HOSTS_SHOWN = 10


def program_story(program, placements, outcome_totals: dict) -> dict:
    """The program at a glance: where people went, how they rated it, what happened after —
    three more aggregate queries, whatever the program's size."""
    hosts = list(
        placements.order_by()
        .values("host_organization__name")
        .annotate(n=Count("pk"), homes=Count("home_organization", distinct=True))
        .order_by("-n", "host_organization__name")
    )
    ratings = {
        row["respondent"]: row
        for row in Evaluation.objects.filter(
            placement__program=program, stage=Stage.FINAL, submitted_at__isnull=False
        )
        .order_by()
        .values("respondent")
        .annotate(n=Count("pk"), average=Avg("rating"))
    }
    rating_rows = [
        {
            "label": label,
            "n": ratings.get(value, {}).get("n", 0),
            "average": ratings.get(value, {}).get("average"),
        }
        for value, label in Respondent.choices
    ]
    rated = [r for r in rating_rows if r["n"]]
    overall = (
        sum(r["average"] * r["n"] for r in rated) / sum(r["n"] for r in rated) if rated else None
    )
    twelve = outcome_totals.get("n_12") or 0
    moved_on = outcome_totals.get("promoted_12", 0) if twelve else 0
    return {
        "host_rows": hosts[:HOSTS_SHOWN],
        "hosts_hidden": max(0, len(hosts) - HOSTS_SHOWN),
        "host_count": len(hosts),
        "hosts_chart": _bars([(row["host_organization__name"], row["n"]) for row in hosts[:10]]),
        "rating_rows": rating_rows,
        "ratings_chart": _bars(
            [(str(r["label"]), round(r["average"], 1) if r["average"] else 0) for r in rating_rows],
            scale_to=5,
        ),
        "average_rating": round(overall, 1) if overall is not None else None,
        "promoted_12": moved_on,
        "recorded_12": twelve,
    }


def _bars(rows: list[tuple[str, float]], *, scale_to: float | None = None) -> dict:
    """Geometry of a horizontal bar chart (label, bar, value), text at 13 px; the table
    beside it has the same numbers."""
    label_width, bar_space, row_height, top = 200, 240, 30, 8
    peak = scale_to or max([value for _label, value in rows] + [1])
    bars = []
    for i, (label, value) in enumerate(rows):
        y = top + i * row_height
        width = round(bar_space * value / peak) if peak else 0
        bars.append(
            {
                "label": label if len(label) <= 28 else label[:27] + "…",
                "value": value,
                "y": y,
                "text_y": y + 17,
                "width": width,
                "value_x": label_width + width + 6,
            }
        )
    return {
        "bars": bars,
        "x": label_width,
        "width": label_width + bar_space + 50,
        "height": top + len(rows) * row_height + 8,
        "bar_height": 22,
    }


def _chart(rows: list[dict]) -> dict:
    """Geometry for a grouped bar chart (one group per measure, one bar per milestone),
    drawn as server-rendered SVG; the table beside it has the same numbers."""
    bar_width, gap, group_gap, height, top = 24, 4, 48, 160, 20
    peak = max([c for row in rows for _m, c, _n in row["counts"]] + [1])
    groups = []
    x = 40
    for row in rows:
        bars = []
        for i, (months, count, _n) in enumerate(row["counts"]):
            h = round(height * count / peak)
            bars.append(
                {
                    "x": x + i * (bar_width + gap),
                    "y": top + height - h,
                    "height": h,
                    "width": bar_width,
                    "count": count,
                    "months": months,
                    "fill": ("#005ea2", "#1a4480", "#162e51")[i % 3],
                }
            )
        width = len(row["counts"]) * (bar_width + gap) - gap
        groups.append(
            {"label": row["label"], "short": row["short"], "bars": bars, "label_x": x + width / 2}
        )
        x += width + group_gap
    return {
        "groups": groups,
        "width": x + 10,
        "height": top + height + 60,
        "base": top + height,
        "peak": peak,
    }
