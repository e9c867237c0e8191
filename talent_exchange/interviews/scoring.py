"""Interview scores rolled up per candidate, for the matching weights.

A candidate's interview score is the weighted mean, over the program's rubric criteria, of the
panelists' average score on that criterion divided by its highest score, times 100: a number
from 0 (every panelist gave the lowest mark) to 100 (every panelist gave the highest). Criteria
nobody scored are left out of the mean; a candidate nobody scored has no interview score.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg

from .models import Score


def interview_scores(cycle) -> dict[int, float]:
    """{nomination id: score 0–100} for every scored candidate of the cycle, in one query."""
    rows = (
        Score.objects.filter(assignment__panel__cycle=cycle)
        .values(
            "assignment__nomination_id",
            "criterion_id",
            "criterion__weight",
            "criterion__max_score",
        )
        .annotate(mean=Avg("score"))
    )
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
