"""Interview scores rolled up per candidate, for the matching weights.

A candidate's interview score is the weighted mean, over the program's rubric criteria, of the
panelists' average score on that criterion divided by its highest score, times 100: a number
from 0 (every panelist gave the lowest mark) to 100 (every panelist gave the highest). Criteria
nobody scored are left out of the mean; a candidate nobody scored has no interview score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Avg

from .models import Score


def interview_scores(cycle, nominations: Iterable[int] | None = None) -> dict[int, float]:
    """{nomination id: score 0–100} for every scored candidate of the cycle (or only those of
    ``nominations``, e.g. a page of them), in one query."""
    scores = Score.objects.filter(assignment__panel__cycle=cycle)
    if nominations is not None:
        scores = scores.filter(assignment__nomination_id__in=list(nominations))
    rows = scores.values(
        "assignment__nomination_id",
        "criterion_id",
        "criterion__weight",
        "criterion__max_score",
    ).annotate(mean=Avg("score"))
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        weight = Decimal(row["criterion__weight"])
        if weight == 0 or not row["criterion__max_score"]:
            continue
        fraction = Decimal(str(row["mean"])) / Decimal(row["criterion__max_score"])
        bucket = totals[row["assignment__nomination_id"]]
        bucket[0] += weight * fraction
        bucket[1] += weight
    return {
        nomination_id: round(float(100 * weighted / weights), 2)
        for nomination_id, (weighted, weights) in totals.items()
        if weights
    }


def _criteria_counts(program_ids) -> dict[int, int]:
    from django.db.models import Count

    from .models import RubricCriterion

    return dict(
        RubricCriterion.objects.filter(program_id__in=program_ids)
        .values("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
    )


def assignments_with_progress(assignments):
    """The assignments (a QuerySet), each with ``scored_by`` (panelists who scored every
    criterion), ``panelists`` and ``complete`` set; three queries whatever the number."""
    from django.db.models import Count

    rows = list(
        assignments.select_related(
            "panel__cycle", "nomination__person", "nomination__home_organization"
        ).annotate(
            n_scores=Count("scores", distinct=True),
            n_members=Count("panel__members", distinct=True),
        )
    )
    criteria = _criteria_counts({a.panel.cycle.program_id for a in rows})
    per_panelist = _complete_panelists([a.pk for a in rows], criteria)
    for a in rows:
        a.criteria = criteria.get(a.panel.cycle.program_id, 0)
        a.panelists = a.n_members
        a.scored_by = per_panelist.get(a.pk, 0)
        a.complete = bool(a.criteria and a.n_members and a.scored_by >= a.n_members)
    return rows


def _complete_panelists(assignment_ids, criteria) -> dict[int, int]:
    """{assignment id: how many panelists scored every criterion of the rubric}."""
    from django.db.models import Count

    counts: dict[int, int] = defaultdict(int)
    for row in (
        Score.objects.filter(assignment_id__in=assignment_ids)
        .values("assignment_id", "panelist_id", "assignment__panel__cycle__program_id")
        .annotate(n=Count("criterion", distinct=True))
    ):
        needed = criteria.get(row["assignment__panel__cycle__program_id"], 0)
        if needed and row["n"] >= needed:
            counts[row["assignment_id"]] += 1
    return dict(counts)


def scored_by(user, assignments) -> set[int]:
    """Ids of the assignments this panelist has scored on every criterion (one query)."""
    from django.db.models import Count

    rows = list(assignments.select_related("panel__cycle"))
    criteria = _criteria_counts({a.panel.cycle.program_id for a in rows}) if rows else {}
    done = set()
    need = {a.pk: criteria.get(a.panel.cycle.program_id, 0) for a in rows}
    for assignment_id, n in (
        Score.objects.filter(assignment_id__in=need, panelist=user)
        .values("assignment_id")
        .annotate(n=Count("criterion", distinct=True))
        .values_list("assignment_id", "n")
    ):
        if need[assignment_id] and n >= need[assignment_id]:
            done.add(assignment_id)
    return done
