"""Calendar invitations (.ics) for interview slots, with the icalendar library.

Times are written in UTC (``20261205T170000Z``), so every calendar shows them in its own
time zone. The UID is stable per slot, so downloading again updates the event instead of
adding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import PanelAssignment

PRODID = "-//Talent Exchange//Interviews//EN"


def slot_event(assignment: PanelAssignment) -> Event:
    panel = assignment.panel
    event = Event()
    event.add("uid", f"interview-{assignment.pk}@talent-exchange")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    if assignment.starts_at is None or assignment.ends_at is None:
        raise ValueError(f"interview {assignment.pk} has no time yet")
    event.add("dtstart", assignment.starts_at.astimezone(UTC))
    event.add("dtend", assignment.ends_at.astimezone(UTC))
    event.add(
        "summary",
        _("Interview: %(person)s — %(panel)s")
        % {"person": assignment.nomination.person, "panel": panel.name},
    )
    if panel.location:
        event.add("location", panel.location)
    members = list(panel.members.all())
    event.add(
        "description",
        "\n".join(
            [
                str(panel.cycle),
                _("Panel: %(panel)s") % {"panel": panel.name},
                _("Panelists: %(names)s") % {"names": ", ".join(str(m) for m in members)},
            ]
        ),
    )
    person = assignment.nomination.person
    # The candidate first, then the panelists: everyone the interview needs.
    people = [(person.work_email, str(person))] + [(m.email, str(m)) for m in members]
    for email, name in people:
        if not email:
            continue
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    return event


def calendar_for(assignments: Iterable[PanelAssignment]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for assignment in assignments:
        if assignment.starts_at and assignment.ends_at:
            calendar.add_component(slot_event(assignment))
    return calendar.to_ical()
