"""The cohort's learning calendar through the pages: the administrator plans a monthly support
series and a learning forum for two, three participants answer (the third waits), one
cancels and the third is promoted and e-mailed; attendance is taken; only who came gives
feedback; a participant's calendar feed holds their sessions and interviews; peer circles mix
organisations; a thread's author hears of a reply. Every page is checked with axe."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from talent_exchange.accounts.models import User
from talent_exchange.learning.models import Circle, Invitation, Session
from talent_exchange.notifications.models import Notification
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.placements.services import start_placement
from talent_exchange.placements.tests.factories import accepted_offer
from talent_exchange.programs.models import Cycle
from tests.factories import PersonFactory, grant

from .accessibility import assert_accessible
from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def cohort(demo):
    """Four participants of the 2027 Spring cycle, two from Mariposa Bay (Maya, the
    participant persona, and Lena) and two from Cedar Hollow (Omar and Priya), each on a
    placement in the other city; Maya has an interview on the calendar."""
    admin = User.objects.get(username="admin")
    cycle = Cycle.objects.get(name="2027 Spring Exchange")
    maya = Person.objects.get(user__username="participant")
    bay = maya.organization
    cedar = Organization.objects.get(name="City of Cedar Hollow")
    people = {"participant": maya}
    for username, first, org in (("lena", "Lena", bay), ("omar", "Omar", cedar)):
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
        grant(user, "participant")
        people[username] = PersonFactory(
            organization=org, user=user, first_name=first, last_name="Learner"
        )
    priya = PersonFactory(organization=cedar, first_name="Priya", last_name="Learner")
    for person in (*people.values(), priya):
        host = cedar if person.organization_id == bay.pk else bay
        offer = accepted_offer(
            cycle=cycle,
            person=person,
            host=host,
            actor=admin,
            title=f"Assignment of {person.first_name}",
            start=timezone.localdate() - timedelta(days=20),
        )
        start_placement(offer, admin)
    return cycle, people


def _answer(new_page, username, session, answer="Yes"):
    page = new_page()
    sign_in(page, username)
    page.goto(f"/learning/session/{session.pk}/")
    page.get_by_role("group", name="Will you come?").get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    return page


def test_a_cohort_calendar_from_the_series_to_the_community(cohort, new_page):
    cycle, people = cohort
    today = timezone.localdate()

    # The administrator plans a monthly support-session series for the cohort.
    admin = new_page()
    sign_in(admin, "admin")
    admin.goto(f"/learning/cycle/{cycle.pk}/")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Learning calendar")
    assert_accessible(admin)
    admin.get_by_role("link", name="New series").click()
    admin.get_by_label("Kind").select_option(label="Support session")
    admin.locator("input[name=title]").fill("Monthly support session")
    admin.get_by_label("First day").fill((today + timedelta(days=1)).isoformat())
    admin.get_by_label("Last day").fill((today + timedelta(days=150)).isoformat())
    admin.get_by_label("Starts at").fill("17:00")
    admin.get_by_label("Length (minutes)").fill("90")
    admin.get_by_label("Time zone").fill("America/Los_Angeles")
    admin.get_by_label("Place").fill("Mariposa Bay City Hall, Room 3")
    assert_accessible(admin)
    admin.get_by_role("button", name="Create the series").click()
    expect(admin.get_by_text("the cohort is invited")).to_be_visible()
    assert_accessible(admin)
    support = Session.objects.filter(cycle=cycle, title="Monthly support session")
    assert 4 <= support.count() <= 6

    # …and a learning forum with two places.
    admin.get_by_role("link", name="New single session").click()
    admin.get_by_label("Kind").select_option(label="Learning forum")
    admin.locator("input[name=title]").fill("Leadership forum")
    admin.locator("#id_day").fill((today + timedelta(days=10)).isoformat())
    admin.locator("#id_starts").fill("16:00")
    admin.locator("#id_ends").fill("17:30")
    admin.get_by_label("Place").fill("Cedar Hollow Library")
    admin.get_by_label("Capacity").fill("2")
    admin.get_by_label("Speaker").fill("Dr. Renée Okafor")
    admin.get_by_role("button", name="Create the session").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Leadership forum")
    assert_accessible(admin)
    forum = Session.objects.get(title="Leadership forum")

    # Three participants answer yes; the third joins the waitlist.
    lena = _answer(new_page, "lena", forum)
    expect(lena.get_by_text("Your answer is saved")).to_be_visible()
    maya = _answer(new_page, "participant", forum)
    omar = _answer(new_page, "omar", forum)
    expect(omar.get_by_text("The session is full: you are number 1")).to_be_visible()
    expect(omar.get_by_test_id("my-answer")).to_have_text("You are number 1 on the waitlist.")
    assert_accessible(omar)

    # Lena cannot come after all: Omar is promoted and e-mailed.
    lena.get_by_role("group", name="Will you come?").get_by_label("No", exact=True).check()
    lena.get_by_role("button", name="Send my answer").click()
    expect(lena.get_by_text("Your answer is saved: no.")).to_be_visible()
    assert Invitation.objects.get(session=forum, person=people["omar"]).is_confirmed
    assert Invitation.objects.filter(session=forum).confirmed().count() == 2
    assert Notification.objects.filter(
        recipients__contains="omar@example.org", subject__startswith="A place is yours"
    ).exists()

    # The forum takes place; the administrator takes attendance on a phone.
    Session.objects.filter(pk=forum.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    admin.set_viewport_size({"width": 390, "height": 844})
    admin.goto(f"/learning/session/{forum.pk}/")
    admin.get_by_role("link", name="Take attendance").click()
    maya_name = people["participant"].full_name
    admin.get_by_role("group", name=maya_name).get_by_label("Present").check()
    admin.get_by_role("group", name=people["omar"].full_name).get_by_label("Absent").check()
    assert_accessible(admin)
    admin.get_by_role("button", name="Save attendance").click()
    expect(admin.get_by_text("Attendance is saved.")).to_be_visible()
    admin.set_viewport_size({"width": 1280, "height": 900})

    # Only who came gives feedback.
    maya.goto(f"/learning/session/{forum.pk}/")
    maya.get_by_role("link", name="Give feedback").click()
    maya.get_by_role("group", name="How useful was the session?").get_by_label("5").check()
    maya.get_by_label("Comment (optional)").fill("The speaker's stories were practical.")
    assert_accessible(maya)
    maya.get_by_role("button", name="Send feedback").click()
    expect(maya.get_by_text("Thank you for your feedback.")).to_be_visible()
    omar.goto(f"/learning/session/{forum.pk}/")
    expect(omar.get_by_role("link", name="Give feedback")).to_have_count(0)
    omar.goto(f"/learning/session/{forum.pk}/feedback/")
    omar.get_by_role("group", name="How useful was the session?").get_by_label("1").check()
    omar.get_by_role("button", name="Send feedback").click()
    expect(omar.get_by_text("Only people marked present")).to_be_visible()
    admin.goto(f"/learning/session/{forum.pk}/")
    expect(admin.get_by_test_id("feedback-summary")).to_contain_text("average 5")

    # Maya's calendar feed holds her sessions and her interview.
    from talent_exchange.interviews.models import PanelAssignment
    from talent_exchange.interviews.tests.factories import PanelAssignmentFactory, PanelFactory
    from talent_exchange.nominations.models import Nomination

    interview = PanelAssignment.objects.filter(
        nomination__person=people["participant"], starts_at__isnull=False
    ).first()
    if interview is None:
        start = timezone.now() + timedelta(days=5)
        interview = PanelAssignmentFactory(
            panel=PanelFactory(cycle=cycle),
            nomination=Nomination.objects.filter(person=people["participant"]).first(),
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
        )
    maya.goto("/learning/calendar/")
    maya.get_by_role("button", name="Create my calendar address").click()
    feed_url = maya.get_by_test_id("feed-url").input_value()
    assert_accessible(maya)
    anonymous = new_page()
    response = anonymous.request.get(feed_url)
    assert response.status == 200
    calendar = Calendar.from_ical(response.body())
    uids = {str(event["uid"]) for event in calendar.walk("VEVENT")}
    assert f"learning-session-{forum.pk}@talent-exchange" in uids
    assert f"learning-session-{support.first().pk}@talent-exchange" in uids
    assert f"interview-{interview.pk}@talent-exchange" in uids

    # Peer circles mix the two cities.
    admin.goto(f"/learning/program/{cycle.program_id}/circles/")
    admin.get_by_label("Cohort").select_option(label=str(cycle))
    admin.get_by_label("Smallest circle").fill("2")
    admin.get_by_label("Largest circle").fill("6")
    admin.get_by_role("button", name="Form circles").click()
    expect(admin.get_by_text("circles were formed")).to_be_visible()
    assert_accessible(admin)
    circles = list(Circle.objects.filter(cycle=cycle).prefetch_related("members"))
    assert len(circles) >= 2
    for circle in circles:
        organisations = Counter(m.organization_id for m in circle.members.all())
        assert max(organisations.values()) == 1, "two people of one city in a circle"

    # A thread in the cohort's community gets a reply; its author hears of it.
    maya.goto(f"/learning/cycle/{cycle.pk}/community/")
    maya.locator("input[name=title]").fill("Your first week on assignment")
    maya.get_by_label("Message").fill("What surprised you most in your host city?")
    maya.get_by_role("button", name="Post").click()
    expect(maya.get_by_text("Your thread is posted.")).to_be_visible()
    assert_accessible(maya)
    lena.goto(f"/learning/cycle/{cycle.pk}/community/")
    lena.get_by_role("link", name="Your first week on assignment").click()
    lena.get_by_label("Your reply").fill("How early the council meetings start!")
    lena.get_by_role("button", name="Reply").click()
    expect(lena.get_by_text("Your reply is posted.")).to_be_visible()
    assert_accessible(lena)
    maya_email = people["participant"].user.email
    assert Notification.objects.filter(
        recipients__contains=maya_email, subject__startswith="New reply"
    ).exists()
