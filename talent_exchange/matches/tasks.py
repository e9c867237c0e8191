"""Background tasks of match runs (Django's tasks API; the database worker runs them).

Tasks take ids, load what they need and call the service functions (ADR 0005).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.accounts.services import sign_in_link
from talent_exchange.notifications.services import absolute_url, notify

from . import services
from .models import RUN_DEFERRED, MatchRun, Offer


@task()
def run_match(run_id: int) -> str:
    """Snapshot the market, solve it, store the explained result (see services.execute_run)."""
    return services.execute_run(run_id)


@task()
def publish_offers(run_id: int) -> int:
    """Make the offers of a run whose publication was asked for (services.execute_publish),
    then queue their e-mails."""
    return services.execute_publish(run_id)


# Offers e-mailed per task: each batch is one short transaction of its own; the task queues
# the next batch as it ends, so no transaction (and no task) grows with the run.
MAIL_BATCH = 500
HOSTS_PER_BATCH = 50


@task()
def send_offer_mail(run_id: int, after: int = 0, hosts_after: int = -1) -> int:
    """E-mail the offers of a published run, a batch at a time: each matched participant
    and each opportunity's coach (offers after ``after``, by id), then each host's
    coordinators (host organisations after ``hosts_after``). Returns the number of messages
    written by this batch. Each message has its key, so a retried task sends nothing twice."""
    with transaction.atomic():
        if hosts_after < 0:
            sent, last = _mail_participants_and_coaches(run_id, after)
            if last is None:
                send_offer_mail.enqueue(run_id, hosts_after=0)
            else:
                send_offer_mail.enqueue(run_id, after=last)
        else:
            sent, last = _mail_hosts(run_id, hosts_after)
            if last is not None:
                send_offer_mail.enqueue(run_id, hosts_after=last)
    return sent


def _mail_participants_and_coaches(run_id: int, after: int) -> tuple[int, int | None]:
    run = MatchRun.objects.select_related("cycle__program").defer(*RUN_DEFERRED).get(pk=run_id)
    offers = list(
        Offer.objects.filter(run_id=run_id, pk__gt=after)
        .select_related(
            "nomination__person__user",
            "opportunity__host_organization",
            "opportunity__coach__user",
        )
        .order_by("pk")[:MAIL_BATCH]
    )
    sent = []
    for offer in offers:
        context = {
            "run": run,
            "offer": offer,
            "url": _link(offer.nomination.person, reverse("matches:offer", args=[offer.pk])),
        }
        sent.append(
            notify(
                "matches/offer_participant",
                [_address(offer.nomination.person)],
                context,
                key=f"matches:offer:{offer.pk}:participant",
            )
        )
        coach_context = {
            "run": run,
            "offer": offer,
            "url": _link(offer.opportunity.coach, reverse("matches:offers")),
        }
        sent.append(
            notify(
                "matches/offer_coach",
                [_address(offer.opportunity.coach)],
                coach_context,
                key=f"matches:offer:{offer.pk}:coach",
            )
        )
    last = offers[-1].pk if len(offers) == MAIL_BATCH else None
    return sum(1 for message in sent if message is not None), last


def _mail_hosts(run_id: int, after: int) -> tuple[int, int | None]:
    run = MatchRun.objects.select_related("cycle__program").defer(*RUN_DEFERRED).get(pk=run_id)
    hosts = list(
        Offer.objects.filter(run_id=run_id, opportunity__host_organization_id__gt=after)
        .values_list("opportunity__host_organization_id", flat=True)
        .distinct()
        .order_by("opportunity__host_organization_id")[: HOSTS_PER_BATCH + 1]
    )
    more = len(hosts) > HOSTS_PER_BATCH
    hosts = hosts[:HOSTS_PER_BATCH]
    offers = (
        Offer.objects.filter(run_id=run_id, opportunity__host_organization_id__in=hosts)
        .select_related("nomination__person", "opportunity__host_organization")
        .order_by("pk")
    )
    by_host: dict[int, list[Offer]] = {}
    for offer in offers:
        by_host.setdefault(offer.opportunity.host_organization_id, []).append(offer)
    coordinators = RoleGrant.objects.coordinators_by_organization(set(by_host))
    sent = []
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
    return sum(1 for message in sent if message is not None), hosts[-1] if more else None


def _link(person, path: str) -> str:
    """The page, for a person with an account through choosing a password if they never
    have (``accounts.services.sign_in_link``)."""
    if person is not None and person.user_id:
        return sign_in_link(person.user, path)
    return absolute_url(path)


def _address(person) -> str:
    if person is None:
        return ""
    if person.user_id and person.user.email:
        return person.user.email
    return person.work_email or ""
