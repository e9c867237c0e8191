"""Preferences: a participant's ranking of opportunities (read, and replaced whole in one
PUT) and a host's ranking of candidates (read)."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Status

from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.preferences import services
from talent_exchange.preferences.models import HostRanking, ParticipantRanking

from .access import get_visible, require
from .schemas import HostRankingOut, ParticipantRankingOut, Problem, RankingIn

router = Router()


def _participant_ranking(nomination: Nomination) -> dict:
    rows = (
        ParticipantRanking.objects.filter(nomination=nomination)
        .select_related("opportunity__host_organization")
        .order_by("rank")
    )
    return {"nomination_id": nomination.pk, "ranking": list(rows)}


@router.get(
    "/nominations/{nomination_id}/ranking",
    response={200: ParticipantRankingOut, 403: Problem, 404: Problem},
    summary="The participant's ranking of opportunities",
)
def get_participant_ranking(request, nomination_id: int):
    nomination = get_visible(Nomination.objects, request.user, nomination_id, "nomination")
    require(request.user, "preferences.view_participant_ranking", nomination)
    return _participant_ranking(nomination)


def _input_problems(wanted: list[int], rankable: set[int]) -> list[dict]:
    problems, seen = [], set()
    for index, opportunity_id in enumerate(wanted):
        if opportunity_id in seen:
            msg = _("Opportunity %(id)s is on the list twice.")
        elif opportunity_id not in rankable:
            msg = _(
                "Opportunity %(id)s cannot be ranked: it is not an approved opportunity of "
                "this cycle outside the nominee's own organisation and the organisations they "
                "declared a conflict of interest with."
            )
        else:
            msg = None
        if msg:
            problems.append(
                {
                    "loc": ["body", "payload", "opportunity_ids", index],
                    "msg": msg % {"id": opportunity_id},
                    "type": "value_error",
                }
            )
        seen.add(opportunity_id)
    return problems


def replace_ranking(nomination, wanted: list[int], *, actor, reason: str) -> None:
    """Turn the stored ranking into ``wanted`` with the preferences app's own moves (remove,
    add, top), in one transaction: each move is checked by the service (permission, deadline,
    late-change reason), and a refusal undoes them all."""
    change = services.change_participant_ranking
    current = services.ranked_ids(services.PARTICIPANT_RANKING, nomination)
    with transaction.atomic():
        for opportunity_id in [o for o in current if o not in wanted]:
            current = change(nomination, "remove", opportunity_id, actor=actor, reason=reason)
        for opportunity_id in [o for o in wanted if o not in current]:
            current = change(nomination, "add", opportunity_id, actor=actor, reason=reason)
        for opportunity_id in reversed(wanted):
            if current == wanted:
                break
            current = change(nomination, "top", opportunity_id, actor=actor, reason=reason)


@router.put(
    "/nominations/{nomination_id}/ranking",
    response={
        200: ParticipantRankingOut,
        400: Problem,
        403: Problem,
        404: Problem,
        422: dict,
    },
    summary="Replace the participant's whole ranking",
)
def put_participant_ranking(request, nomination_id: int, payload: RankingIn):
    """The list is the new ranking, first choice first; an empty list clears it. The
    preferences app's rules apply: who may rank, the deadline (after it, only an
    administrator, with a reason), and which opportunities can be ranked."""
    nomination = get_visible(Nomination.objects, request.user, nomination_id, "nomination")
    require(
        request.user,
        "preferences.rank_opportunities",
        nomination,
        reason=_("Only the nominee or the program's administrators change this ranking."),
    )
    rankable = set(services.rankable_opportunities(nomination).values_list("pk", flat=True))
    problems = _input_problems(payload.opportunity_ids, rankable)
    if problems:
        return Status(422, {"detail": problems})
    replace_ranking(nomination, payload.opportunity_ids, actor=request.user, reason=payload.reason)
    return _participant_ranking(nomination)


@router.get(
    "/opportunities/{opportunity_id}/host-ranking",
    response={200: HostRankingOut, 403: Problem, 404: Problem},
    summary="The host's ranking of candidates for an opportunity",
)
def get_host_ranking(request, opportunity_id: int):
    opportunity = get_visible(Opportunity.objects, request.user, opportunity_id, "opportunity")
    require(
        request.user,
        "preferences.view_host_ranking",
        opportunity,
        reason=_(
            "A host's ranking is for the host's coordinators and the program's administrators."
        ),
    )
    rows = (
        HostRanking.objects.filter(opportunity=opportunity)
        .select_related("nomination__person")
        .order_by("rank")
    )
    return {
        "opportunity_id": opportunity.pk,
        "ranking": [
            {"rank": row.rank, "nomination_id": row.nomination_id, "person": row.nomination.person}
            for row in rows
        ],
    }
