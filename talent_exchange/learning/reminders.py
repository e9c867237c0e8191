"""Reminders before each session, through the one notification path.

``send_session_reminders(now)`` e-mails everyone coming (a confirmed yes, or a maybe) to a
session that starts within ``AHEAD``. The key names the session, the person and the start
time, so a run every five minutes sends each reminder once, and a moved session is reminded
again at its new time. Run by ``talent-exchange send_session_reminders`` (the scheduler's
five-minute jobs) or the worker's ``send_session_reminders_task``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from talent_exchange.notifications.services import absolute_url, notify

from .models import Invitation, Response, SessionStatus

AHEAD = timedelta(hours=24)


def send_session_reminders(now: datetime) -> int:
    due = (
        Invitation.objects.filter(
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + AHEAD,
        )
        .filter(
            Q(response=Response.YES, waitlist_position__isnull=True) | Q(response=Response.MAYBE)
        )
        .select_related("session", "person__user")
    )
    sent = 0
    for invitation in due:
        session, person = invitation.session, invitation.person
        stamp = session.starts_at.strftime("%Y%m%dT%H%M")
        if notify(
            "learning/reminder",
            [person.user if person.user_id else person.work_email],
            {
                "session": session,
                "link": absolute_url(reverse("learning:session", args=[session.pk])),
            },
            key=f"learning:session:{session.pk}:reminder:{person.pk}:{stamp}",
        ):
            sent += 1
    return sent
