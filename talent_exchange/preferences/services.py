"""Writes to rankings: add, move and remove a choice, inside the deadline rule.

A ranking is stored as rows with ranks 1..n. The unique constraints on (owner, rank) and
(owner, item) are not deferrable, so a change runs in one transaction that deletes the rows
whose rank changes and inserts them again at their new rank; unchanged rows stay, so the
history shows what moved. The owner's row (the nomination or the opportunity) is locked first,
so two changes to the same list at once are applied one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.nominations.models import ConflictOfInterest, Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.programs.models import CyclePhase

from .deadlines import (
    DEADLINE_PHASE,
    HOST,
    PARTICIPANT,
    ChangeDecision,
    RankingWindow,
    may_change_ranking,
    ranking_window,
)
from .models import HostRanking, ParticipantRanking
from .ranking import apply_move

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.programs.models import Cycle


@dataclass(frozen=True)
class RankingKind:
    kind: str
    model: Any  # the ranking model (ParticipantRanking or HostRanking)
    owner_model: Any  # who ranks (Nomination or Opportunity)
    owner_field: str
    item_field: str
    permission: str


PARTICIPANT_RANKING = RankingKind(
    PARTICIPANT,
    ParticipantRanking,
    Nomination,
    "nomination",
    "opportunity",
    "preferences.rank_opportunities",
)
HOST_RANKING = RankingKind(
    HOST, HostRanking, Opportunity, "opportunity", "nomination", "preferences.rank_candidates"
)


@dataclass(frozen=True)
class RankingLists:
    """The rankings of a cycle a user may open: as querysets, so pages count and page them."""

    nominations: models.QuerySet[Nomination]
    opportunities: models.QuerySet[Opportunity]


def ranking_lists_for(user: User, cycle: Cycle) -> RankingLists:
    """The endorsed nominations and approved opportunities of ``cycle`` whose ranking ``user``
    may view: the rules ``view_participant_ranking`` and ``view_host_ranking`` (auditors
    and the program's administrators see all; a nominee their own; a coordinator their
    organisation's opportunities) as queries, so a page never asks them row by row. A test
    checks that both always agree."""
    roles = roles_of(user)
    nominations = Nomination.objects.endorsed().in_cycle(cycle)
    opportunities = Opportunity.objects.approved().for_cycle(cycle)
    if not (roles.is_superuser or roles.is_auditor or cycle.program_id in roles.admin_program_ids):
        nominations = (
            nominations.filter(person_id=roles.person_id) if roles.person_id else nominations.none()
        )
        opportunities = opportunities.filter(host_organization_id__in=roles.coordinator_org_ids)
    return RankingLists(nominations=nominations, opportunities=opportunities)


@dataclass(frozen=True)
class RankingsStarted:
    nominations: int
    opportunities: int


def rankings_started(lists: RankingLists) -> RankingsStarted:
    """How many of the lists have at least one choice (two counts, whatever the size)."""
    return RankingsStarted(
        nominations=lists.nominations.filter(
            pk__in=ParticipantRanking.objects.values("nomination_id")
        ).count(),
        opportunities=lists.opportunities.filter(
            pk__in=HostRanking.objects.values("opportunity_id")
        ).count(),
    )


def rankable_opportunities(nomination: Nomination) -> QuerySet[Opportunity]:
    """The approved opportunities of the nominee's cycle, except those of their own
    organisation and of organisations they declared a conflict of interest with (the match
    would forbid those pairs anyway, so they are not offered)."""
    return (
        Opportunity.objects.approved()
        .for_cycle(nomination.cycle_id)
        .exclude(host_organization_id=nomination.home_organization_id)
        .exclude(
            host_organization_id__in=ConflictOfInterest.objects.filter(
                nomination=nomination
            ).values("organization_id")
        )
    )


def rankable_candidates(opportunity: Opportunity) -> QuerySet[Nomination]:
    """The endorsed nominees of the cycle who do not come from the host organisation and
    have not declared a conflict of interest with it."""
    return (
        Nomination.objects.endorsed()
        .in_cycle(opportunity.cycle_id)
        .exclude(home_organization_id=opportunity.host_organization_id)
        .exclude(
            pk__in=ConflictOfInterest.objects.filter(
                organization_id=opportunity.host_organization_id
            ).values("nomination_id")
        )
    )


def deadline(kind: str, cycle: Cycle) -> date | None:
    """When the cycle's ranking of this kind closes; read once per cycle object (a ranking
    page asks for both the window and the decision)."""
    known: dict[str, date | None] = cycle.__dict__.setdefault("_ranking_deadlines", {})
    if kind not in known:
        known[kind] = (
            CyclePhase.objects.filter(cycle=cycle, phase=DEADLINE_PHASE[kind])
            .values_list("closes_on", flat=True)
            .first()
        )
    return known[kind]


def window_for(kind: str, cycle: Cycle, today: date | None = None) -> RankingWindow:
    today = today or timezone.localdate()
    return ranking_window(
        kind, cycle_state=cycle.state, closes_on=deadline(kind, cycle), today=today
    )


def decision_for(kind: str, cycle: Cycle, actor: User, today: date | None = None) -> ChangeDecision:
    roles = roles_of(actor)
    return may_change_ranking(
        kind,
        cycle_state=cycle.state,
        closes_on=deadline(kind, cycle),
        today=today or timezone.localdate(),
        by_administrator=roles.is_superuser or cycle.program_id in roles.admin_program_ids,
    )


def ranked_ids(spec: RankingKind, owner: User) -> list[int]:
    return list(
        spec.model.objects.filter(**{spec.owner_field: owner})
        .order_by("rank")
        .values_list(f"{spec.item_field}_id", flat=True)
    )


def change_participant_ranking(
    nomination: Nomination,
    action: str,
    opportunity_id: int,
    *,
    actor: User,
    reason: str = "",
    today: date | None = None,
) -> list[int]:
    """Add, move (up, down, top) or remove an opportunity on a nominee's list."""
    if nomination.status != NominationStatus.ENDORSED:
        raise ActionRefused(_("Only an endorsed nominee ranks opportunities."))
    return _change(
        PARTICIPANT_RANKING,
        nomination,
        action,
        opportunity_id,
        rankable_opportunities(nomination),
        actor=actor,
        reason=reason,
        today=today,
    )


def change_host_ranking(
    opportunity: Opportunity,
    action: str,
    nomination_id: int,
    *,
    actor: User,
    reason: str = "",
    today: date | None = None,
) -> list[int]:
    """Add, move (up, down, top) or remove a candidate on a host's list for one opportunity."""
    if opportunity.status != OpportunityStatus.APPROVED:
        raise ActionRefused(_("Candidates are ranked only for approved opportunities."))
    return _change(
        HOST_RANKING,
        opportunity,
        action,
        nomination_id,
        rankable_candidates(opportunity),
        actor=actor,
        reason=reason,
        today=today,
    )


def _change(
    spec: RankingKind,
    owner: Nomination | Opportunity,
    action: str,
    item_id: int,
    eligible: QuerySet[Any],
    *,
    actor: User,
    reason: str,
    today: date | None,
) -> list[int]:
    if not actor.has_perm(spec.permission, owner):
        raise PermissionDenied
    decision = decision_for(spec.kind, owner.cycle, actor, today)
    if not decision.allowed:
        raise ActionRefused(decision.message)
    reason = reason.strip()
    if decision.late and not reason:
        raise ActionRefused(decision.message)
    with transaction.atomic():
        spec.owner_model.objects.select_for_update().filter(pk=owner.pk).first()
        rows = list(spec.model.objects.filter(**{spec.owner_field: owner}).order_by("rank"))
        before = [getattr(row, f"{spec.item_field}_id") for row in rows]
        if action == "add" and not eligible.filter(pk=item_id).exists():
            raise ActionRefused(_("That choice cannot be ranked here."))
        after = apply_move(before, action, item_id)
        _store(spec, owner, rows, after, actor=actor, reason=reason)
    return after


def _store(
    spec: RankingKind,
    owner: Nomination | Opportunity,
    rows: list[Any],
    after: list[int],
    *,
    actor: User,
    reason: str,
) -> None:
    item_of = f"{spec.item_field}_id"
    new_rank = {item: position for position, item in enumerate(after, start=1)}
    kept = {
        getattr(row, item_of) for row in rows if new_rank.get(getattr(row, item_of)) == row.rank
    }
    for row in rows:
        if getattr(row, item_of) not in kept:
            attribute_to(row, actor, reason=reason or None)
            row.delete()
    for item, rank in new_rank.items():
        if item in kept:
            continue
        row = spec.model(**{spec.owner_field: owner, item_of: item, "rank": rank})
        attribute_to(row, actor, reason=reason or None)
        row.save()
