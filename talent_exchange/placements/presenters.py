"""What the placement pages show, computed from prefetched rows (no query per row)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    OUTCOME_MONTHS,
    PLACEMENT_WORKFLOW,
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
