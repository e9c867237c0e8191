"""Background tasks of match runs (Django's tasks API; the database worker runs them).

Tasks take ids, load what they need and call the service functions (ADR 0005).
"""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.notifications.services import absolute_url, notify

from . import services
from .models import MatchRun, Offer


@task()
def run_match(run_id: int) -> str:
    """Snapshot the market, solve it, store the explained result (see services.execute_run)."""
    return services.execute_run(run_id)


@task()
def send_offer_mail(run_id: int) -> int:
    """E-mail every matched participant, each host's coordinators and each coach about the
    offers of a published run. Returns the number of messages written. Each message has its
    key, so a retried task sends nothing twice."""
    run = MatchRun.objects.select_related("cycle__program").get(pk=run_id)
    offers = list(
        Offer.objects.filter(run=run)
        .select_related(
            "nomination__person__user",
            "opportunity__host_organization",
            "opportunity__coach__user",
        )
        .order_by("pk")
    )
    coordinators = RoleGrant.objects.coordinators_by_organization(
        {offer.opportunity.host_organization_id for offer in offers}
    )
    sent = []
    for offer in offers:
        context = {
            "run": run,
            "offer": offer,
            "url": absolute_url(reverse("matches:offer", args=[offer.pk])),
        }
        sent.append(
            notify(
                "matches/offer_participant",
                [_address(offer.nomination.person)],
                context,
                key=f"matches:offer:{offer.pk}:participant",
            )
        )
    by_host: dict[int, list[Offer]] = {}
    for offer in offers:
        by_host.setdefault(offer.opportunity.host_organization_id, []).append(offer)
    for org_id, host_offers in sorted(by_host.items()):
        context = {
            "run": run,
            "offers": host_offers,
            "organization": host_offers[0].opportunity.host_organization,
            "url": absolute_url(reverse("matches:offers")),
        }
        sent.append(
            notify(
                "matches/offer_host",
                coordinators.get(org_id, []),
                context,
                key=f"matches:run:{run.pk}:host:{org_id}",
            )
        )
    for offer in offers:
        context = {"run": run, "offer": offer, "url": absolute_url(reverse("matches:offers"))}
        sent.append(
            notify(
                "matches/offer_coach",
                [_address(offer.opportunity.coach)],
                context,
                key=f"matches:offer:{offer.pk}:coach",
            )
        )
    return sum(1 for message in sent if message is not None)


def _address(person) -> str:
    if person is None:
        return ""
    if person.user_id and person.user.email:
        return person.user.email
    return person.work_email or ""
