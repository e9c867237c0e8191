"""The market builder as it was before issue 17 (a dict and a Decimal per pair), kept as the
reference the array builder is tested against (test_market_arrays.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.utils import timezone

from talent_exchange.interviews.scoring import interview_scores
from talent_exchange.matches.market import (
    PROGRAM_RULE,
    default_tolerance,
    formula_for,
    pair_weight,
    participant_key,
    slot_key,
)
from talent_exchange.matches.models import Offer, OfferStatus, PairConstraint, PairRule
from talent_exchange.nominations.models import ConflictOfInterest, Nomination, NominationStatus
from talent_exchange.opportunities.models import Opportunity, OpportunityStatus
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from talent_exchange.preferences.points import rank_points


def build_market(
    cycle,
    *,
    round_number: int = 1,
    balance_tolerance: int | str | None = PROGRAM_RULE,
    today: date | None = None,
) -> dict:
    """The engine's market JSON for ``cycle`` (see the module docstring). The balance
    tolerance is the program's rule unless given (None: no balance rule)."""
    if balance_tolerance == PROGRAM_RULE:
        balance_tolerance = default_tolerance(cycle)
    today = today or timezone.localdate()
    formula = formula_for(cycle)

    # Places already taken or held by earlier rounds' offers.
    held_nominations: set[int] = set()
    held_places: dict[int, int] = {}
    declined: list[tuple[int, int]] = []
    if round_number > 1:
        earlier = Offer.objects.filter(run__cycle=cycle, run__round__lt=round_number)
        held = earlier.holding_a_place(today)
        held_nominations = set(held.values_list("nomination_id", flat=True))
        held_places = dict(
            held.values("opportunity_id")
            .annotate(n=Count("pk"))
            .values_list("opportunity_id", "n")
            .order_by()
        )
        declined = list(
            earlier.filter(status=OfferStatus.DECLINED)
            .order_by("nomination_id", "opportunity_id")
            .values_list("nomination_id", "opportunity_id")
        )

    opportunities = []
    for opp in (
        Opportunity.objects.filter(cycle=cycle, status=OpportunityStatus.APPROVED)
        .order_by("pk")
        .values("pk", "host_organization_id", "capacity")
    ):
        places = opp["capacity"] - held_places.get(opp["pk"], 0)
        if places > 0:
            opportunities.append({**opp, "capacity": places})
    slot_ids = {opp["pk"] for opp in opportunities}
    opps_by_org: dict[int, list[int]] = defaultdict(list)
    for opp in opportunities:
        opps_by_org[opp["host_organization_id"]].append(opp["pk"])

    nominations = [
        row
        for row in Nomination.objects.filter(cycle=cycle, status=NominationStatus.ENDORSED)
        .order_by("pk")
        .values("pk", "home_organization_id")
        if row["pk"] not in held_nominations
    ]
    participant_ids = {row["pk"] for row in nominations}

    participant_lists: dict[int, list[int]] = defaultdict(list)
    for nomination_id, opportunity_id in (
        ParticipantRanking.objects.filter(nomination__cycle=cycle)
        .order_by("nomination_id", "rank", "pk")
        .values_list("nomination_id", "opportunity_id")
    ):
        if nomination_id in participant_ids and opportunity_id in slot_ids:
            participant_lists[nomination_id].append(opportunity_id)

    host_lists: dict[int, list[int]] = defaultdict(list)
    hosts_that_ranked: set[int] = set()
    for opportunity_id, nomination_id in (
        HostRanking.objects.filter(opportunity__cycle=cycle)
        .order_by("opportunity_id", "rank", "pk")
        .values_list("opportunity_id", "nomination_id")
    ):
        hosts_that_ranked.add(opportunity_id)
        if opportunity_id in slot_ids and nomination_id in participant_ids:
            host_lists[opportunity_id].append(nomination_id)
    host_rank = {
        (opp_id, nom_id): (position, len(ranked))
        for opp_id, ranked in host_lists.items()
        for position, nom_id in enumerate(ranked, start=1)
    }

    scores = interview_scores(cycle)

    weights = []
    for row in nominations:
        ranked = participant_lists.get(row["pk"], [])
        for position, opp_id in enumerate(ranked, start=1):
            host = host_rank.get((opp_id, row["pk"]))
            weights.append(
                {
                    "participant": participant_key(row["pk"]),
                    "slot": slot_key(opp_id),
                    "weight": pair_weight(
                        formula,
                        rank_points(position, len(ranked)),
                        rank_points(*host) if host else 0.0,
                        scores.get(row["pk"], 0.0),
                    ),
                }
            )

    forbidden_pairs: set[tuple[int, int]] = set()
    for nomination_id, organization_id in ConflictOfInterest.objects.filter(
        nomination__cycle=cycle
    ).values_list("nomination_id", "organization_id"):
        for opp_id in opps_by_org.get(organization_id, ()):
            forbidden_pairs.add((nomination_id, opp_id))
    locked_pairs: set[tuple[int, int]] = set()
    for nomination_id, opp_id, rule in PairConstraint.objects.filter(cycle=cycle).values_list(
        "nomination_id", "opportunity_id", "rule"
    ):
        (locked_pairs if rule == PairRule.LOCK else forbidden_pairs).add((nomination_id, opp_id))
    forbidden_pairs.update(declined)
    # A host that ranked candidates accepts only them; when none of them is left (a later
    # round), the engine would read the empty list as "no preferences" and hold a lottery,
    # so every remaining pair with that opportunity is forbidden instead.
    for nomination_id, ranked in participant_lists.items():
        for opp_id in ranked:
            if opp_id in hosts_that_ranked and not host_lists.get(opp_id):
                forbidden_pairs.add((nomination_id, opp_id))

    def pairs(chosen: set[tuple[int, int]]) -> list[dict]:
        return [
            {"participant": participant_key(n), "slot": slot_key(o)}
            for n, o in sorted(chosen)
            if n in participant_ids and o in slot_ids
        ]

    tolerance = balance_tolerance
    return {
        "participants": [
            {
                "id": participant_key(row["pk"]),
                "organization": str(row["home_organization_id"]),
                "preferences": [slot_key(o) for o in participant_lists.get(row["pk"], [])],
            }
            for row in nominations
        ],
        "slots": [
            {
                "id": slot_key(opp["pk"]),
                "organization": str(opp["host_organization_id"]),
                "capacity": opp["capacity"],
                **(
                    {"preferences": [participant_key(n) for n in host_lists[opp["pk"]]]}
                    if host_lists.get(opp["pk"])
                    else {}
                ),
            }
            for opp in opportunities
        ],
        "weights": weights,
        "forbidden": pairs(forbidden_pairs),
        "locked": pairs(locked_pairs),
        "rules": {"exclude_home_organization": True, "balance_tolerance": tolerance},
    }
