"""Places left open after the offers, and who is next in line for each: the candidates the host
ranked for it, best first, who hold no place yet. The administrator offers a place to the next
in line from the run's page (a second round cannot fill a place nobody left has ranked).

Reads are a fixed number of queries for a cycle, whatever its size: the open places come from
one aggregate, the host rankings of those places from one query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.core.history import attribute_to
from talent_exchange.core.permissions import require
from talent_exchange.nominations.models import Nomination
from talent_exchange.notifications.services import absolute_url, notify
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.preferences.models import HostRanking

from .models import MatchRun, Offer, OfferStatus

if TYPE_CHECKING:
    from talent_exchange.accounts.models import User
    from talent_exchange.programs.models import Cycle

SHOWN_PER_PLACE = 3
RESPONSE_DAYS = 7


@dataclass
class OpenPlace:
    opportunity: Opportunity
    free: int
    next_in_line: list[tuple[Nomination, int]] = field(default_factory=list)


def _holders(cycle: Cycle, today: datetime.date) -> set[int]:
    """Nominations of this cycle that hold a place: an accepted offer, or one still open."""
    return set(
        Offer.objects.filter(run__cycle=cycle)
        .holding_a_place(today)
        .values_list("nomination_id", flat=True)
    )


def open_places(cycle: Cycle, today: datetime.date | None = None) -> list[OpenPlace]:
    """The cycle's approved places not all held once something was published, with the next
    candidates in line for each (none when nothing was published yet)."""
    today = today or timezone.localdate()
    runs = MatchRun.objects.filter(cycle=cycle)
    if not runs.published().exists() or runs.publishing().exists():
        return []  # nothing offered yet, or offers still being written by the worker
    holding = Q(offers__status=OfferStatus.ACCEPTED) | Q(
        offers__status=OfferStatus.OFFERED, offers__respond_by__gte=today
    )
    opportunities = (
        Opportunity.objects.filter(cycle=cycle)
        .approved()
        .annotate(held=Count("offers", filter=holding))
        .select_related("host_organization")
        .order_by("host_organization__name", "title", "pk")
    )
    places = [
        OpenPlace(opportunity=o, free=o.capacity - o.held)
        for o in opportunities
        if o.capacity > o.held
    ]
    if not places:
        return []
    holders = _holders(cycle, today)
    declined = set(
        Offer.objects.filter(run__cycle=cycle, status__in=[OfferStatus.DECLINED]).values_list(
            "nomination_id", "opportunity_id"
        )
    )
    by_opportunity = {place.opportunity.pk: place for place in places}
    rankings = (
        HostRanking.objects.filter(opportunity_id__in=by_opportunity)
        .filter(nomination__status="endorsed")
        .exclude(nomination_id__in=holders)
        .select_related("nomination__person", "nomination__home_organization")
        .order_by("opportunity_id", "rank")
    )
    for ranking in rankings:
        place = by_opportunity[ranking.opportunity_id]
        if (ranking.nomination_id, ranking.opportunity_id) in declined:
            continue
        if len(place.next_in_line) < SHOWN_PER_PLACE:
            place.next_in_line.append((ranking.nomination, ranking.rank))
    return places


def offer_to_next(
    opportunity: Opportunity,
    nomination: Nomination,
    *,
    actor: User,
    today: datetime.date | None = None,
) -> Offer:
    """Offer an open place to a candidate the host ranked, outside a match run: the offer
    hangs on the cycle's latest published run and is e-mailed like the others."""
    cycle = opportunity.cycle
    require(
        actor, "matches.publish_run", cycle, _("Only the program's administrators offer places.")
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        place = next((p for p in open_places(cycle, today) if p.opportunity.pk == locked.pk), None)
        if place is None:
            raise ActionRefused(_("This place is no longer open."))
        if nomination.pk not in {n.pk for n, _rank in place.next_in_line}:
            raise ActionRefused(
                _(
                    "%(name)s is not next in line for this place (the host did not rank them, or "
                    "they hold a place already)."
                )
                % {"name": nomination.person}
            )
        run = MatchRun.objects.published().filter(cycle=cycle).order_by("-round", "-pk").first()
        assert run is not None  # open_places answers only once a run is published
        offer = Offer(
            run=run,
            nomination=nomination,
            opportunity=locked,
            respond_by=today + datetime.timedelta(days=RESPONSE_DAYS),
        )
        attribute_to(offer, actor)
        offer.save()
        person = nomination.person
        notify(
            "matches/offer_participant",
            [person.user if person.user_id else person.work_email],
            {
                "run": run,
                "offer": offer,
                "url": absolute_url(reverse("matches:offer", args=[offer.pk])),
            },
            key=f"matches:offer:{offer.pk}:participant",
        )
    return offer
