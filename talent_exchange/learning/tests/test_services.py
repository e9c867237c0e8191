"""The learning services: a series invites the cohort, RSVPs fill places and a waitlist,
cancellations and moves tell everyone, attendance gates feedback, feeds carry sessions and
interviews, circles mix organisations, the community is the cohort's, bad input is refused."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.learning import services
from talent_exchange.learning.calendars import person_calendar
from talent_exchange.learning.models import (
    Attendance,
    Feedback,
    Invitation,
    Material,
    Post,
    PostTransition,
    Response,
    Series,
    Session,
    Thread,
)
from talent_exchange.learning.reminders import send_session_reminders
from talent_exchange.learning.tests.factories import SessionFactory, cohort
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


class Cohort:
    def __init__(self, world):
        self.world = world
        self.admin = world.users["admin"]
        self.ada = world.person_a  # the participant persona, City A
        self.users = [world.users["participant"]]
        self.people = [self.ada]
        for first, org in (("Cy", world.city_a), ("Dee", world.city_b)):
            user = UserFactory(username=first.lower())
            person = PersonFactory(organization=org, user=user, first_name=first)
            self.users.append(user)
            self.people.append(person)
        cohort(world, self.people[:2], host=world.city_b)
        cohort(world, self.people[2:], host=world.city_a)


@pytest.fixture
def c(world):
    return Cohort(world)


def _series(c, **overrides):
    data = {
        "program": c.world.program,
        "cycle": c.world.cycle,
        "kind": "support",
        "title": "Monthly support session",
        "rule": "FREQ=MONTHLY;BYDAY=+1TU",
        "first_day": timezone.localdate() + timedelta(days=1),
        "last_day": timezone.localdate() + timedelta(days=120),
        "start_time": time(17),
        "duration_minutes": 90,
        "place": "Mariposa Bay City Hall",
        "capacity": 2,
        "time_zone": "America/Los_Angeles",
    }
    data.update(overrides)
    return Series(**data)


def _session(c, **overrides):
    session = SessionFactory(
        program=c.world.program, cycle=c.world.cycle, organiser=c.admin, **overrides
    )
    services.invite_cohort(session, actor=c.admin)
    return session


def test_a_series_expands_and_invites_the_cohort(c, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        series = services.create_series(_series(c), actor=c.admin)
    sessions = list(series.sessions.all())
    assert 3 <= len(sessions) <= 5
    assert all(s.starts_at.astimezone(timezone.get_current_timezone()) for s in sessions)
    invited = set(Invitation.objects.filter(session=sessions[0]).values_list("person", flat=True))
    # the three participants and their coach (Bea)
    assert {p.pk for p in c.people} | {c.world.person_b.pk} == invited
    # one e-mail per person for the whole series, not one per session
    assert len(mail.outbox) == len(invited)


def test_a_series_that_gives_too_many_dates_writes_nothing(c):
    with pytest.raises(ActionRefused, match="more than 60"):
        services.create_series(
            _series(c, rule="FREQ=DAILY", last_day=date(2040, 1, 1)), actor=c.admin
        )
    assert not Series.objects.exists() and not Session.objects.exists()


def test_only_the_programs_administrator_plans(c):
    with pytest.raises(PermissionDenied):
        services.create_series(_series(c), actor=c.users[0])


def test_a_session_ending_before_it_starts_is_refused(c):
    start = timezone.now() + timedelta(days=3)
    session = Session(
        program=c.world.program, title="Kick-off", starts_at=start, ends_at=start, place="Hall"
    )
    with pytest.raises(ActionRefused, match="end after it starts"):
        services.create_session(session, actor=c.admin)
    assert not Session.objects.exists()


def test_capacity_waitlist_and_promotion_with_an_email(c, django_capture_on_commit_callbacks):
    session = _session(c, capacity=2, kind="forum", title="Leadership forum")
    first, second, third = c.users
    services.respond(session, "yes", actor=first)
    services.respond(session, "yes", actor=second)
    waiting = services.respond(session, "yes", actor=third)
    assert waiting.is_waitlisted and waiting.waitlist_position == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.respond(session, "no", actor=first)
    promoted = Invitation.objects.get(session=session, person=c.people[2])
    assert promoted.is_confirmed
    assert session.invitations.confirmed().count() == 2
    assert [m.to for m in mail.outbox] == [[third.email]]
    assert "A place is yours" in mail.outbox[0].subject


def test_an_rsvp_after_the_session_started_is_refused(c):
    session = _session(c)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()
    with pytest.raises(ActionRefused, match="answers are closed"):
        services.respond(session, "yes", actor=c.users[0])
    assert Invitation.objects.get(session=session, person=c.ada).response == Response.PENDING


def test_someone_not_invited_cannot_answer(c, world):
    session = _session(c)
    with pytest.raises(PermissionDenied):
        services.respond(session, "yes", actor=world.users["coord_b"])


def test_cancelling_and_moving_tell_everyone_invited(c, django_capture_on_commit_callbacks):
    session = _session(c)
    invited = session.invitations.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_session(
            session,
            {"starts_at": session.starts_at + timedelta(days=1),
             "ends_at": session.ends_at + timedelta(days=1)},
            actor=c.admin,
        )  # fmt: skip
    assert len(mail.outbox) == invited
    assert all("Changed" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session, actor=c.admin, note="The speaker is ill.")
    assert len(mail.outbox) == invited
    assert "The speaker is ill." in mail.outbox[0].body
    with pytest.raises(ActionRefused, match="cancelled"):
        services.respond(session, "yes", actor=c.users[0])


def test_a_move_ending_before_it_starts_is_refused(c):
    session = _session(c)
    with pytest.raises(ActionRefused, match="end after it starts"):
        services.change_session(session, {"ends_at": session.starts_at}, actor=c.admin)
    session.refresh_from_db()
    assert session.ends_at > session.starts_at


def test_a_larger_capacity_promotes_from_the_waitlist(c):
    session = _session(c, capacity=1)
    for user in c.users:
        services.respond(session, "yes", actor=user)
    services.change_session(session, {"capacity": 3}, actor=c.admin)
    assert session.invitations.confirmed().count() == 3


def test_reminders_go_once_to_those_coming(c, django_capture_on_commit_callbacks):
    session = _session(c)
    services.respond(session, "yes", actor=c.users[0])
    services.respond(session, "maybe", actor=c.users[1])
    services.respond(session, "no", actor=c.users[2])
    mail.outbox.clear()
    soon = session.starts_at - timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_session_reminders(soon) == 2
        assert send_session_reminders(soon) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([c.users[0].email, c.users[1].email])
    assert send_session_reminders(session.starts_at - timedelta(days=3)) == 0


def test_the_reminder_command_runs(c):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("send_session_reminders", stdout=out)
    assert "session reminder" in out.getvalue()


def _past(c, **kwargs):
    session = _session(c, **kwargs)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def test_attendance_then_feedback_only_from_those_who_came(c):
    session = _past(c)
    marks = {
        i.pk: (Attendance.PRESENT if i.person_id == c.ada.pk else Attendance.ABSENT)
        for i in session.invitations.all()
    }
    services.record_attendance(session, marks, actor=c.admin)
    services.leave_feedback(session, 5, "Very useful.", actor=c.users[0])
    with pytest.raises(ActionRefused, match="marked present"):
        services.leave_feedback(session, 1, "I was not there.", actor=c.users[1])
    with pytest.raises(ActionRefused, match="already"):
        services.leave_feedback(session, 4, "", actor=c.users[0])
    assert Feedback.objects.filter(session=session).count() == 1
    from talent_exchange.learning.presenters import attendance_of, feedback_summary

    assert feedback_summary(session).average == 5
    share = attendance_of(c.ada.pk, c.world.program.pk, c.world.cycle.pk)
    assert (share.present, share.counted) == (1, 1)


def test_attendance_for_someone_not_invited_writes_nothing(c):
    session = _past(c)
    first = session.invitations.first()
    with pytest.raises(ActionRefused, match="not invited"):
        services.record_attendance(
            session, {first.pk: Attendance.PRESENT, 10**9: Attendance.PRESENT}, actor=c.admin
        )
    first.refresh_from_db()
    assert first.attendance == ""


def test_attendance_before_the_session_is_refused(c):
    session = _session(c)
    with pytest.raises(ActionRefused, match="once the session has started"):
        services.record_attendance(session, {}, actor=c.admin)


def test_the_feed_has_the_persons_sessions_and_interviews_and_can_be_revoked(c, world):
    from talent_exchange.interviews.tests.factories import PanelAssignmentFactory, PanelFactory
    from talent_exchange.nominations.models import Nomination

    session = _session(c, time_zone="America/Los_Angeles")
    declined = _session(c, title="Declined one")
    services.respond(declined, "no", actor=c.users[0])
    nomination = Nomination.objects.filter(person=c.ada).first()
    start = timezone.now() + timedelta(days=2)
    PanelAssignmentFactory(
        panel=PanelFactory(cycle=world.cycle), nomination=nomination, starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )  # fmt: skip
    feed = services.new_feed(actor=c.users[0])
    calendar = Calendar.from_ical(person_calendar(c.ada.pk))
    events = calendar.walk("VEVENT")
    uids = {str(e["uid"]) for e in events}
    assert f"learning-session-{session.pk}@talent-exchange" in uids
    assert f"learning-session-{declined.pk}@talent-exchange" not in uids
    assert any(uid.startswith("interview-") for uid in uids)
    assert calendar.walk("VTIMEZONE")
    ours = next(e for e in events if str(e["uid"]).startswith("learning-session"))
    assert ours.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    again = services.new_feed(actor=c.users[0])
    assert again.token != feed.token
    services.revoke_feed(actor=c.users[0])
    assert not type(feed).objects.exists()


def test_circles_mix_organisations(c, world):
    more = []
    for i, org in enumerate([world.city_a, world.city_b, world.city_a, world.city_b, world.city_a]):
        more.append(PersonFactory(organization=org, first_name=f"P{i}"))
    cohort(world, [p for p in more if p.organization_id == world.city_a.pk], host=world.city_b)
    cohort(world, [p for p in more if p.organization_id == world.city_b.pk], host=world.city_a)
    circles = services.form_circles(world.program, world.cycle, actor=c.admin, min_size=2,
                                    max_size=4)  # fmt: skip
    assert sum(circle.members.count() for circle in circles) == 9
    # 9 people of two organisations in circles of 2–4: three circles cannot avoid pairs,
    # but no circle holds more than its share of one organisation
    for circle in circles:
        orgs = list(circle.members.values_list("organization", flat=True))
        assert max(orgs.count(o) for o in set(orgs)) <= 2
    with pytest.raises(ActionRefused, match="too few"):
        services.form_circles(world.program, world.cycle, actor=c.admin, min_size=12,
                              max_size=12)  # fmt: skip


def test_the_community_is_the_cohorts(c, world, django_capture_on_commit_callbacks):
    thread = services.start_thread(
        world.program, world.cycle, "First month", "How is it going?", actor=c.users[0]
    )
    with pytest.raises(PermissionDenied):
        services.reply(thread, "I am not in the cohort.", actor=world.users["coord_b"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(thread, "Going well!", actor=c.users[1])
    assert [m.to for m in mail.outbox] == [[c.users[0].email]]
    with pytest.raises(ActionRefused, match="Say why"):
        services.hide_post(post, "", actor=c.admin)
    services.hide_post(post, "Shares a colleague's health details.", actor=c.admin)
    post.refresh_from_db()
    assert post.is_hidden
    assert PostTransition.objects.get(post=post).note == "Shares a colleague's health details."
    with pytest.raises(PermissionDenied):
        services.hide_post(Post.objects.filter(thread=thread).first(), "no", actor=c.users[1])
    assert Thread.objects.count() == 1


def test_an_alumnus_reaches_the_program_community(c, world):
    from talent_exchange.learning.access import forget_scope
    from talent_exchange.placements.models import Placement

    outsider = world.users["coord_b"]
    person = PersonFactory(organization=world.city_b, user=outsider)
    thread = services.start_thread(world.program, world.cycle, "Alumni?", "Hello", actor=c.admin)
    with pytest.raises(PermissionDenied):
        services.reply(thread, "Hi", actor=outsider)
    other_cycle = type(world.cycle).objects.create(program=world.program, name="2025")
    from talent_exchange.placements.tests.factories import placement_in

    placement = placement_in(world, person=person, host=world.city_a, cycle=other_cycle)
    Placement.objects.filter(pk=placement.pk).update(status="closed")
    forget_scope(outsider)
    services.reply(thread, "Hi from an alumna", actor=outsider)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "cannot be shared"),
        ("slides.pdf", b"MZ not a pdf", "does not match"),
        ("big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_bad_uploads_are_refused(c, name, content, message):
    session = _session(c)
    with pytest.raises(ActionRefused, match=message):
        services.add_material(
            session, "Slides", actor=c.admin, upload=SimpleUploadedFile(name, content)
        )
    assert not Material.objects.exists()


def test_materials_on_a_session_and_a_thread(c, world):
    session = _session(c)
    pdf = services.add_material(
        session, "Slides", actor=c.admin, upload=SimpleUploadedFile("s.pdf", b"%PDF-1.7 ...")
    )
    assert pdf.size == 12 and pdf.content_type == "application/pdf"
    thread = services.start_thread(world.program, world.cycle, "Reading", "List", actor=c.admin)
    link = services.add_material(
        thread, "Reading list", actor=c.users[0], url="https://example.org/list"
    )
    assert link.url
    with pytest.raises(PermissionDenied):
        services.add_material(session, "Mine", actor=c.users[0], url="https://example.org/x")
