"""Interview slots: overlaps refused with a clear message; .ics invitations in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from icalendar import Calendar

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.interviews import services
from talent_exchange.interviews.services import overlaps, schedule_interview
from talent_exchange.nominations.tests.factories import NominationFactory

from .factories import PanelAssignmentFactory

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


def at(hour, minute=0, day=3):
    return datetime(2026, 12, day, hour, minute, tzinfo=PACIFIC)


def test_overlap_rule():
    assert overlaps(at(10), at(11), at(10, 30), at(11, 30))
    assert overlaps(at(10), at(12), at(10, 30), at(11))
    assert not overlaps(at(10), at(11), at(11), at(12))  # back to back is fine


def test_same_candidate_cannot_be_in_two_interviews_at_once(interviews):
    iv = interviews
    admin = iv.users["admin"]
    second = PanelAssignmentFactory(panel=iv.panel2, nomination=iv.nom_a)
    schedule_interview(iv.a1, at(10), at(11), actor=admin)
    with pytest.raises(ActionRefused) as refusal:
        schedule_interview(second, at(10, 30), at(11, 30), actor=admin)
    assert (
        "Ada Alpha already has an interview with Panel one from 3 Dec 2026" in refusal.value.message
    )
    schedule_interview(second, at(11), at(12), actor=admin)
    second.refresh_from_db()
    assert second.starts_at == at(11)


def test_same_panel_cannot_hold_two_interviews_at_once(interviews):
    iv = interviews
    admin = iv.users["admin"]
    other = PanelAssignmentFactory(
        panel=iv.panel1,
        nomination=NominationFactory(cycle=iv.world.cycle, person=iv.world.outsider),
    )
    schedule_interview(iv.a1, at(9), at(10), actor=admin)
    with pytest.raises(ActionRefused, match="The panel already interviews Ada Alpha"):
        schedule_interview(other, at(9, 45), at(10, 45), actor=admin)
    with pytest.raises(ActionRefused, match="end after it starts"):
        schedule_interview(other, at(11), at(11), actor=admin)


def test_schedule_page_shows_the_overlap_next_to_the_form(interviews, client_for):
    iv = interviews
    admin = client_for(iv.users["admin"])
    second = PanelAssignmentFactory(panel=iv.panel2, nomination=iv.nom_a)
    url = reverse("interviews:schedule", args=[iv.a1.pk])
    response = admin.post(url, {"day": "2026-12-03", "starts": "10:00", "ends": "11:00"})
    assert response.status_code == 302
    response = admin.post(
        reverse("interviews:schedule", args=[second.pk]),
        {"day": "2026-12-03", "starts": "10:30", "ends": "11:30"},
    )
    assert response.status_code == 200
    assert "already has an interview with Panel one" in response.content.decode()
    assert (
        "usa-error-message" in response.content.decode() or "usa-alert" in response.content.decode()
    )
    assert (
        client_for(iv.users["coord_a"])
        .post(url, {"day": "2026-12-04", "starts": "10:00", "ends": "11:00"})
        .status_code
        == 404
    )


def _events(content: bytes):
    return [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]


def test_slot_invitation_has_utc_times_and_summary(interviews, client_for, settings):
    iv = interviews
    schedule_interview(iv.a1, at(10), at(11), actor=iv.users["admin"])
    response = client_for(iv.users["panelist"]).get(reverse("interviews:slot_ics", args=[iv.a1.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    (event,) = _events(response.content)
    assert event.decoded("dtstart") == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    assert b"DTSTART:20261203T180000Z" in response.content
    assert str(event["summary"]) == "Interview: Ada Alpha — Panel one"
    assert str(event["location"]) == "City Hall, room 2"
    assert {str(a) for a in event.get("attendee")} == {
        f"mailto:{iv.a1.nomination.person.work_email}",  # the candidate is invited too
        "mailto:panelist@example.org",
        "mailto:panelist2@example.org",
    }


def test_panel_invitation_holds_every_scheduled_slot(interviews, client_for):
    iv = interviews
    other = PanelAssignmentFactory(
        panel=iv.panel1,
        nomination=NominationFactory(cycle=iv.world.cycle, person=iv.world.outsider),
    )
    schedule_interview(iv.a1, at(9), at(10), actor=iv.users["admin"])
    schedule_interview(other, at(10), at(11), actor=iv.users["admin"])
    response = client_for(iv.users["panelist2"]).get(
        reverse("interviews:panel_ics", args=[iv.panel1.pk])
    )
    events = _events(response.content)
    assert [e.decoded("dtstart") for e in events] == [at(9).astimezone(UTC), at(10).astimezone(UTC)]
    assert len({str(e["uid"]) for e in events}) == 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("panelist", 200),
        ("admin", 200),
        ("participant", 200),  # the candidate's own invitation
        ("panelist3", 404),
        ("coord_a", 404),
        ("coord_b", 404),
        ("nobody", 404),
    ],
)
def test_who_downloads_a_slot_invitation(interviews, client_for, role, status):
    iv = interviews
    iv.a1.starts_at, iv.a1.ends_at = at(9), at(10)
    iv.a1.save()
    response = client_for(iv.users[role]).get(reverse("interviews:slot_ics", args=[iv.a1.pk]))
    assert response.status_code == status
    if status == 200:
        assert _events(response.content)[0].decoded("dtstart") == at(9).astimezone(UTC) - timedelta(
            0
        )


def test_scheduling_e_mails_the_candidate_and_the_panel_once_per_time(
    interviews, django_capture_on_commit_callbacks
):
    """Issue 19 item 4: the invitation leaves when a slot is set, again when it moves."""
    iv = interviews
    with django_capture_on_commit_callbacks(execute=True):
        schedule_interview(iv.a1, at(10), at(11), actor=iv.users["admin"])
        schedule_interview(iv.a1, at(10), at(11), actor=iv.users["admin"])  # same time
    (message,) = mail.outbox
    assert set(message.to) == {
        iv.users["participant"].email,
        iv.users["panelist"].email,
        iv.users["panelist2"].email,
    }
    assert "Panel one" in message.subject and "/invitation.ics" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        schedule_interview(iv.a1, at(14), at(15), actor=iv.users["admin"])
    assert len(mail.outbox) == 2


def test_schedule_many_gives_each_waiting_candidate_the_next_slot_or_nobody_one(interviews):
    iv = interviews
    other = NominationFactory(cycle=iv.world.cycle)
    services.assign_candidates(iv.panel1, [other], actor=iv.users["admin"])
    # A clash with the candidate's other panel: nobody is scheduled.
    schedule_interview(iv.a2, at(9), at(10), actor=iv.users["admin"])
    services.assign_candidates(iv.panel2, [iv.nom_a], actor=iv.users["admin"])
    with pytest.raises(ActionRefused, match="already interviews"):
        services.schedule_many(iv.panel2, at(9), minutes=30, gap=0, actor=iv.users["admin"])
    with pytest.raises(PermissionDenied):
        services.schedule_many(iv.panel1, at(13), minutes=30, gap=5, actor=iv.users["coord_a"])
    done = services.schedule_many(iv.panel1, at(13), minutes=30, gap=5, actor=iv.users["admin"])
    assert [(a.starts_at, a.ends_at) for a in done] == [
        (at(13), at(13, 30)),
        (at(13, 35), at(14, 5)),
    ]
