"""The one reminder run: what is due or late, and the e-mail for each, sent once.

``send_reminders(today)`` walks the due items — agreements awaiting a signature,
check-ins past due, evaluations due within a week or past due, outcomes due — and sends each
reminder whose key (``SentReminder.key``) has not been recorded. The key is claimed in the
same transaction as the send, so a second run, or two runs at once, send nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import RUNNING, CheckIn, Evaluation, Outcome, Party, Placement, SentReminder, Status

BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class Reminder:
    key: str
    recipients: tuple[str, ...]
    subject: str
    body: str


def _link(placement: Placement) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("placements:detail", args=[placement.pk])


def _emails(*users) -> tuple[str, ...]:
    return tuple(sorted({u.email for u in users if u is not None and u.email}))


def _coordinator_users(org_ids) -> dict[int, list]:
    from talent_exchange.accounts.models import RoleGrant

    by_org: dict[int, list] = {}
    for grant in (
        RoleGrant.objects.active()
        .filter(role="coordinator", organization_id__in=org_ids)
        .select_related("user")
    ):
        by_org.setdefault(grant.organization_id, []).append(grant.user)
    return by_org


def due_reminders(today: date) -> Iterator[Reminder]:
    # Agreements awaiting signatures: one reminder per party and version of the terms.
    waiting = list(
        Placement.objects.filter(status=Status.AGREEMENT, agreement__frozen_at__isnull=True)
        .select_related("agreement", "person__user", "host_organization")
        .prefetch_related("agreement__signatures")
    )
    coordinators = _coordinator_users(
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
            to = _emails(*users)
            if party in signed or not to:
                continue
            yield Reminder(
                f"sign:{p.agreement.pk}:v{p.agreement.version}:{party}",
                to,
                _("Please sign the placement agreement for %(person)s") % {"person": p.person},
                _(
                    "The agreement for %(person)s's assignment at %(host)s waits for your "
                    "signature (%(party)s).\n\n%(link)s"
                )
                % {
                    "person": p.person,
                    "host": p.host_organization,
                    "party": Party(party).label,
                    "link": _link(p),
                },
            )
    # Check-ins past their date.
    for c in CheckIn.objects.overdue(today).select_related(
        "placement__person__user", "placement__coach__user"
    ):
        p = c.placement
        to = _emails(p.person.user, p.coach.user if p.coach else None)
        if to:
            yield Reminder(
                f"checkin:{c.pk}:overdue",
                to,
                _("Coaching check-in overdue: %(person)s") % {"person": p.person},
                _(
                    "The check-in due on %(due)s has not been recorded. Meet, then record a few "
                    "lines of notes:\n\n%(link)s"
                )
                % {"due": c.due_on, "link": _link(p)},
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
        to = _emails(respondent.user if respondent else None)
        if not to:
            continue
        late = e.due_on < today
        yield Reminder(
            f"evaluation:{e.pk}:{'after' if late else 'before'}",
            to,
            (
                _("Overdue: %(stage)s evaluation of %(person)s's assignment")
                if late
                else _("Due soon: %(stage)s evaluation of %(person)s's assignment")
            )
            % {"stage": e.get_stage_display(), "person": p.person},
            _("Your %(stage)s evaluation is due on %(due)s.\n\n%(link)s")
            % {"stage": e.get_stage_display().lower(), "due": e.due_on, "link": _link(p)},
        )
    # Outcomes due: the home organisation's coordinators record them.
    outcomes = list(
        Outcome.objects.filter(recorded_at__isnull=True, due_on__lte=today).select_related(
            "placement__person"
        )
    )
    home = _coordinator_users({o.placement.home_organization_id for o in outcomes})
    for o in outcomes:
        to = _emails(*home.get(o.placement.home_organization_id, []))
        if to:
            yield Reminder(
                f"outcome:{o.pk}:due",
                to,
                _("Record the %(months)s-month outcome for %(person)s")
                % {"months": o.months_after, "person": o.placement.person},
                _(
                    "%(person)s returned home %(months)s months ago. Record where they are now "
                    "(promotion, new role, still with you, return-service obligation):\n\n%(link)s"
                )
                % {
                    "person": o.placement.person,
                    "months": o.months_after,
                    "link": _link(o.placement),
                },
            )


def send_reminders(today: date) -> int:
    """Send every reminder not sent before; returns how many went out."""
    sent = 0
    for reminder in due_reminders(today):
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    key=reminder.key, recipients=", ".join(reminder.recipients)
                )
                send_mail(
                    reminder.subject,
                    reminder.body,
                    None,
                    list(reminder.recipients),
                )
        except IntegrityError:
            continue  # sent before (or by a run going on at the same time)
        sent += 1
    return sent
