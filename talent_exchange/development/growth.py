"""The skill growth log of a talent profile: what each completed assignment developed — the
skills its opportunity set out to develop and what the final evaluations said."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from talent_exchange.people.models import Person
from talent_exchange.placements.models import RUNNING, Evaluation, Placement, Stage
from talent_exchange.placements.models import Status as PlacementStatus

DONE = (PlacementStatus.RETURNED, PlacementStatus.ENDED_EARLY, PlacementStatus.CLOSED)


@dataclass(frozen=True)
class Growth:
    placement: Placement
    skills: list[str]
    ratings: list[int]
    comments: list[str]


def skill_growth(person: Person) -> list[Growth]:
    """One entry per completed assignment, newest first (three queries)."""
    finals = Evaluation.objects.filter(stage=Stage.FINAL, submitted_at__isnull=False)
    placements = (
        Placement.objects.filter(person=person, status__in=DONE)
        .exclude(status__in=RUNNING)
        .select_related("offer__opportunity", "host_organization")
        .prefetch_related(
            "offer__opportunity__skills_developed",
            Prefetch("evaluations", queryset=finals, to_attr="finals"),
        )
        .order_by("-end_date")
    )
    return [
        Growth(
            placement=p,
            skills=[s.name for s in p.offer.opportunity.skills_developed.all()],
            ratings=[e.rating for e in p.finals if e.rating is not None],
            comments=[e.comments for e in p.finals if e.comments],
        )
        for p in placements
    ]
