"""The one reminder run: what is due or late, and the e-mail for each, sent once.

``send_reminders(today)`` walks the due items — agreements awaiting a signature,
check-ins past due, evaluations due within a week or past due, outcomes due — and hands each
reminder to the notification path under a key naming the item and the occasion (for example
``placements:evaluation:12:before``). The key is unique in the outbox, so a second run, or two
runs at once, send nothing twice. The texts are ``placements/email/reminder_*.txt``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.accounts.services import sign_in_link
from talent_exchange.notifications.services import absolute_url, notify

from .models import RUNNING, CheckIn, Evaluation, Outcome, Party, Placement, Status

BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class Reminder:
    key: str
    recipients: tuple
    template: str
    context: dict = field(default_factory=dict)


def _link(placement: Placement, to: tuple = ()) -> str:
    """The placement's page; for a single recipient who has never signed in, through
    choosing a password first (a one-time link is never shared between recipients)."""
    path = reverse("placements:detail", args=[placement.pk])
    return sign_in_link(to[0], path) if len(to) == 1 else absolute_url(path)


def _users(*users) -> tuple:
    return tuple(u for u in users if u is not None and u.email)


def due_reminders(today: date) -> Iterator[Reminder]:
    # Agreements awaiting signatures: one reminder per party and version of the terms.
    waiting = list(
        Placement.objects.filter(status=Status.AGREEMENT, agreement__frozen_at__isnull=True)
        .select_related("agreement", "person__user", "host_organization")
        .prefetch_related("agreement__signatures")
    )
    coordinators = RoleGrant.objects.coordinators_by_organization(
        {p.home_organization_id for p in waiting} | {p.host_organization_id for p in waiting}
    )
    for p in waiting:
        signed = {s.party for s in p.agreement.signatures.all() if s.version == p.agreement.version}
        signers = {
            Party.PARTICIPANT: [p.person.user],
            Party.HOME: coordinators.get(p.home_organization_id, []),
            Party.HOST: coordinators.get(p.host_organization_id, []),
        }
        for party, users in signers.items():
            to = _users(*users)
            if party in signed or not to:
                continue
            yield Reminder(
                f"placements:sign:{p.agreement.pk}:v{p.agreement.version}:{party}",
                to,
                "placements/reminder_sign",
                {"placement": p, "party": Party(party).label, "link": _link(p, to)},
            )
    # Check-ins past their date.
    for c in CheckIn.objects.overdue(today).select_related(
        "placement__person__user", "placement__coach__user"
    ):
        p = c.placement
        to = _users(p.person.user, p.coach.user if p.coach else None)
        if to:
            yield Reminder(
                f"placements:checkin:{c.pk}:overdue",
                to,
                "placements/reminder_checkin_overdue",
                {"placement": p, "checkin": c, "link": _link(p, to)},
            )
    # Evaluations: a week before, and once late.
    evaluations = (
        Evaluation.objects.pending()
        .filter(
            placement__status__in=(*RUNNING, Status.ENDED_EARLY, Status.RETURNED),
            due_on__lte=today + BEFORE,
        )
        .select_related(
            "placement__person__user", "placement__coach__user", "placement__home_supervisor__user"
        )
    )
    for e in evaluations:
        p = e.placement
        respondent = {
            "participant": p.person,
            "host_supervisor": p.coach,
            "home_supervisor": p.home_supervisor,
        }[e.respondent]
        to = _users(respondent.user if respondent else None)
        if not to:
            continue
        late = e.due_on < today
        yield Reminder(
            f"placements:evaluation:{e.pk}:{'after' if late else 'before'}",
            to,
            "placements/reminder_evaluation",
            {"placement": p, "evaluation": e, "late": late, "link": _link(p, to)},
        )
    # Outcomes due: the home organisation's coordinators record them.
    outcomes = list(
        Outcome.objects.filter(recorded_at__isnull=True, due_on__lte=today).select_related(
            "placement__person"
        )
    )
    home = RoleGrant.objects.coordinators_by_organization(
        {o.placement.home_organization_id for o in outcomes}
    )
    for o in outcomes:
        to = _users(*home.get(o.placement.home_organization_id, []))
        if to:
            yield Reminder(
                f"placements:outcome:{o.pk}:due",
                to,
                "placements/reminder_outcome",
                {"outcome": o, "placement": o.placement, "link": _link(o.placement, to)},
            )


def _phases_closing(today: date) -> Iterator[Reminder]:
    """The programs' reminders of a phase closing (their reminder schedule)."""
    from talent_exchange.programs.reminders import phase_closing

    for key, to, template, context in phase_closing(today):
        yield Reminder(key, to, template, context)


def send_reminders(today: date) -> int:
    """Send every reminder not sent before; returns how many went out."""
    sent = 0
    for reminder in itertools.chain(due_reminders(today), _phases_closing(today)):
        if notify(reminder.template, reminder.recipients, reminder.context, key=reminder.key):
            sent += 1
    return sent
