"""The learning pages: forms refuse bad input next to the field and write nothing, lists cost
a fixed number of queries, the feed answers without signing in until it is revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from talent_exchange.learning import services
from talent_exchange.learning.models import (
    Invitation,
    Material,
    Series,
    Session,
    Thread,
)
from talent_exchange.learning.tests.factories import SessionFactory, ThreadFactory, cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world, client_for):
    return client_for(world.users["admin"])


def _series_data(world, **overrides):
    today = timezone.localdate()
    data = {
        "cycle": world.cycle.pk,
        "kind": "support",
        "title": "Monthly support session",
        "repeat": "monthly_weekday",
        "custom_rule": "",
        "first_day": (today + timedelta(days=1)).isoformat(),
        "last_day": (today + timedelta(days=200)).isoformat(),
        "start_time": "17:00",
        "duration_minutes": 90,
        "time_zone": "America/Los_Angeles",
        "place": "City Hall",
        "online_link": "",
        "capacity": "",
    }
    data.update(overrides)
    return data


def test_the_administrator_creates_a_monthly_series(world, admin):
    cohort(world, [world.person_a])
    response = admin.post(
        reverse("learning:series_create", args=[world.program.pk]), _series_data(world)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    series = Series.objects.get()
    assert series.rule.startswith("FREQ=MONTHLY;BYDAY=")
    assert 6 <= series.sessions.count() <= 7
    assert Invitation.objects.filter(person=world.person_a).count() == series.sessions.count()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_day": "2020-01-01"}, "last_day", "end on or after"),
        ({"repeat": "custom", "custom_rule": "FREQ=DAILY"}, "custom_rule", "more than 60"),
        (
            {"repeat": "custom", "custom_rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"},
            "custom_rule",
            "no date",
        ),
        ({"place": "", "online_link": ""}, "place", "place, an online link"),
    ],
)
def test_a_bad_series_is_refused_next_to_the_field(world, admin, overrides, field, message):
    data = _series_data(world, **overrides)
    if overrides.get("custom_rule") == "FREQ=DAILY":
        data["last_day"] = (timezone.localdate() + timedelta(days=3000)).isoformat()
    response = admin.post(reverse("learning:series_create", args=[world.program.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Series.objects.exists() and not Session.objects.exists()


def test_a_session_ending_before_it_starts_is_refused_next_to_the_field(world, admin):
    response = admin.post(
        reverse("learning:session_create", args=[world.program.pk]),
        {
            "kind": "kickoff",
            "title": "Kick-off",
            "day": "2030-03-01",
            "starts": "10:00",
            "ends": "09:00",
            "time_zone": "UTC",
            "place": "Hall",
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in " ".join(response.context["form"].errors["ends"])
    assert not Session.objects.exists()


def test_the_calendar_costs_the_same_for_5_or_25_sessions(world, admin, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert (
                admin.get(reverse("learning:cycle_calendar", args=[world.cycle.pk])).status_code
                == 200
            )
        return len(captured)

    SessionFactory.create_batch(5, program=world.program, cycle=world.cycle)
    few = count()
    SessionFactory.create_batch(20, program=world.program, cycle=world.cycle)
    assert count() == few
    with django_assert_num_queries(few):
        admin.get(reverse("learning:cycle_calendar", args=[world.cycle.pk]))


def test_the_community_costs_the_same_for_5_or_25_threads(world, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("learning:cycle_forum", args=[world.cycle.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        return len(captured)

    ThreadFactory.create_batch(5, program=world.program, cycle=world.cycle)
    few = count()
    ThreadFactory.create_batch(20, program=world.program, cycle=world.cycle)
    assert count() == few


def test_rsvp_attendance_and_feedback_through_the_pages(world, client_for):
    cohort(world, [world.person_a])
    session = SessionFactory(program=world.program, cycle=world.cycle, capacity=1)
    services.invite_cohort(session, actor=world.users["admin"])
    ada = client_for(world.users["participant"])
    page = ada.post(reverse("learning:rsvp", args=[session.pk]), {"answer": "yes"}, follow=True)
    assert "Your answer is saved" in page.content.decode()
    assert Invitation.objects.get(session=session, person=world.person_a).is_confirmed
    # the feedback page before attending: refused with a message, nothing written
    response = ada.post(reverse("learning:feedback", args=[session.pk]), {"rating": 5})
    assert "marked present" in response.content.decode()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    admin = client_for(world.users["admin"])
    invitation = Invitation.objects.get(session=session, person=world.person_a)
    page = admin.get(reverse("learning:attendance", args=[session.pk]))
    assert page.status_code == 200
    admin.post(
        reverse("learning:attendance", args=[session.pk]), {f"mark_{invitation.pk}": "present"}
    )
    invitation.refresh_from_db()
    assert invitation.attended
    ada = client_for(world.users["participant"])
    response = ada.post(
        reverse("learning:feedback", args=[session.pk]), {"rating": 4, "comment": "Good"}
    )
    assert response.status_code == 302
    admin = client_for(world.users["admin"])
    assert "average 4" in admin.get(reverse("learning:session", args=[session.pk])).content.decode()


def test_the_feed_is_public_at_its_secret_address_until_revoked(world, client_for, client):
    cohort(world, [world.person_a])
    session = SessionFactory(program=world.program, cycle=world.cycle)
    services.invite_cohort(session, actor=world.users["admin"])
    ada = client_for(world.users["participant"])
    ada.post(reverse("learning:feed_new"))
    page = ada.get(reverse("learning:my_calendar"))
    url = page.context["feed_url"]
    path = url[url.index("/learning/") :]
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        f"Support session: {session.title}"
    ]
    ada = client_for(world.users["participant"])
    ada.post(reverse("learning:feed_revoke"))
    client.logout()
    assert client.get(path).status_code == 404
    assert client.get("/learning/feed/not-a-token.ics").status_code == 404


def test_uploads_through_the_page(world, admin):
    session = SessionFactory(program=world.program, cycle=world.cycle)
    url = reverse("learning:session_material", args=[session.pk])
    page = admin.post(
        url, {"title": "Malware", "file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True
    )
    assert "cannot be shared" in page.content.decode()
    assert not Material.objects.exists()
    admin.post(url, {"title": "Slides", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.7")})
    material = Material.objects.get()
    download = admin.get(reverse("learning:material", args=[material.pk]))
    assert download.content == b"%PDF-1.7"
    assert download["Content-Type"] == "application/pdf"


def test_a_thread_and_a_reply_through_the_pages(world, client_for):
    cohort(world, [world.person_a])
    ada = client_for(world.users["participant"])
    ada.post(
        reverse("learning:thread_create", args=[world.program.pk]),
        {"cycle": world.cycle.pk, "title": "Month one", "body": "How is it going?"},
    )
    thread = Thread.objects.get()
    assert thread.cycle == world.cycle
    admin = client_for(world.users["admin"])
    response = admin.post(reverse("learning:thread", args=[thread.pk]), {"body": "Well!"})
    assert response.status_code == 302
    assert thread.posts.count() == 2
    outsider = client_for(world.users["coord_b"])
    refused = outsider.post(
        reverse("learning:thread_create", args=[world.program.pk]),
        {"cycle": world.cycle.pk, "title": "Spam", "body": "Spam"},
    )
    assert refused.status_code == 403
    assert Thread.objects.count() == 1


def test_the_placement_and_results_pages_show_attendance(world, client_for):
    (placement,) = cohort(world, [world.person_a])
    admin = client_for(world.users["admin"])
    page = admin.get(reverse("placements:detail", args=[placement.pk]))
    assert "Learning sessions" in page.content.decode()
    results = admin.get(reverse("placements:results", args=[world.program.pk]))
    assert 'data-testid="learning-results"' in results.content.decode()


def test_the_session_page_costs_the_same_for_5_or_60_guests(world, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from talent_exchange.learning.tests.factories import InvitationFactory

    session = SessionFactory(program=world.program, cycle=world.cycle, capacity=3)
    url = reverse("learning:session", args=[session.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = admin.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode().count('data-label="Person"')

    InvitationFactory.create_batch(5, session=session)
    few, shown = count()
    assert shown == 5
    InvitationFactory.create_batch(55, session=session)
    many, shown = count()
    assert (many, shown) == (few, 25)
