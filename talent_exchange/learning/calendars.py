"""Calendars with the icalendar library: one session's ``.ics`` and a person's feed.

A session's times carry its time zone (``DTSTART;TZID=America/Los_Angeles``) with the
matching ``VTIMEZONE``, so a weekly session stays at its local hour across a daylight-saving
change in every client; interviews come from the interviews app's own events (in UTC). UIDs
are stable, so a client updates an event (a move, a cancellation) instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from talent_exchange.interviews.invitations import slot_event
from talent_exchange.interviews.models import PanelAssignment
from talent_exchange.notifications.services import absolute_url

from .models import Invitation, Response, Session
from .recurrence import zone

PRODID = "-//Talent Exchange//Learning//EN"


def session_event(session: Session) -> Event:
    tz = zone(session.time_zone)
    event = Event()
    event.add("uid", f"learning-session-{session.pk}@talent-exchange")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(tz).replace(microsecond=0))
    event.add("dtend", session.ends_at.astimezone(tz).replace(microsecond=0))
    event.add("summary", f"{session.get_kind_display()}: {session.local_title}")
    where = ", ".join(part for part in (session.place, session.online_link) if part)
    if where:
        event.add("location", where)
    details = [
        text
        for text in (
            _("Speaker: %(name)s") % {"name": session.speaker} if session.speaker else "",
            _("Topic: %(topic)s") % {"topic": session.local_topic} if session.topic else "",
            _("Book: %(book)s") % {"book": session.book} if session.book else "",
            session.online_link,
            absolute_url(reverse("learning:session", args=[session.pk])),
        )
        if text
    ]
    event.add("description", "\n".join(details))
    if session.online_link:
        event.add("url", session.online_link)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def calendar_of(
    sessions: Iterable[Session], interviews: Iterable[PanelAssignment] = (), *, name: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session))
    for interview in interviews:
        if interview.starts_at and interview.ends_at:
            calendar.add_component(slot_event(interview))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def person_calendar(person_id: int) -> bytes:
    """Every session a person is invited to (and has not declined) and every interview of
    theirs with a time."""
    invited = Invitation.objects.filter(person_id=person_id).exclude(response=Response.NO)
    sessions = Session.objects.filter(pk__in=invited.values("session_id")).order_by("starts_at")
    interviews = (
        PanelAssignment.objects.filter(nomination__person_id=person_id, starts_at__isnull=False)
        .select_related("panel__cycle__program", "nomination__person")
        .prefetch_related("panel__members")
    )
    return calendar_of(sessions, interviews, name=str(_("Talent Exchange")))
