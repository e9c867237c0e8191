"""Background tasks of match runs (Django's tasks API; the database worker runs them).

Tasks take ids, load what they need and call the service functions (ADR 0005).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from talent_exchange.accounts.models import Role, RoleGrant

from . import services
from .models import MatchRun, Offer


@task()
def run_match(run_id: int) -> str:
    """Snapshot the market, solve it, store the explained result (see services.execute_run)."""
    return services.execute_run(run_id)


@task()
def send_offer_mail(run_id: int) -> int:
    """E-mail every matched participant, each host's coordinators and each coach about the
    offers of a published run. Returns the number of messages sent."""
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
    host_ids = {offer.opportunity.host_organization_id for offer in offers}
    coordinators: dict[int, set[str]] = {}
    for org_id, email in (
        RoleGrant.objects.active()
        .filter(role=Role.COORDINATOR, organization_id__in=host_ids)
        .values_list("organization_id", "user__email")
    ):
        if email:
            coordinators.setdefault(org_id, set()).add(email)

    site = getattr(settings, "SITE_URL", "").rstrip("/")
    messages: list[EmailMessage] = []
    with translation.override(settings.LANGUAGE_CODE):
        for offer in offers:
            person = offer.nomination.person
            address = _address(person)
            context = {
                "run": run,
                "offer": offer,
                "url": site + reverse("matches:offer", args=[offer.pk]),
            }
            if address:
                messages.append(_message("participant", context, [address]))
        by_host: dict[int, list[Offer]] = {}
        for offer in offers:
            by_host.setdefault(offer.opportunity.host_organization_id, []).append(offer)
        for org_id, host_offers in sorted(by_host.items()):
            recipients = sorted(coordinators.get(org_id, set()))
            if recipients:
                context = {
                    "run": run,
                    "offers": host_offers,
                    "organization": host_offers[0].opportunity.host_organization,
                    "url": site + reverse("matches:offers"),
                }
                messages.append(_message("host", context, recipients))
        for offer in offers:
            coach = offer.opportunity.coach
            address = _address(coach) if coach else None
            if address:
                context = {"run": run, "offer": offer, "url": site + reverse("matches:offers")}
                messages.append(_message("coach", context, [address]))
    for message in messages:
        message.send()
    return len(messages)


def _address(person) -> str | None:
    if person is None:
        return None
    if person.user_id and person.user.email:
        return person.user.email
    return person.work_email or None


def _message(kind: str, context: dict, to: list[str]) -> EmailMessage:
    subject = render_to_string(f"matches/mail/{kind}_subject.txt", context).strip()
    body = render_to_string(f"matches/mail/{kind}_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=to)
