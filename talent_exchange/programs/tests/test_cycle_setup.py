"""Cycles are created on one form or copied from the last one (issue 10, item 2); a schedule
is valid exactly when the program's rules say so, and a bad one writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.interviews.models import Panel
from talent_exchange.programs.models import Cycle, CyclePhase
from talent_exchange.programs.schedule import DATED_PHASES
from talent_exchange.programs.services import cycle_schedule_errors
from tests.factories import CycleFactory, PanelFactory, UserFactory, grant, phase_dates

# -- the pages --------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _form_data(name: str, dates: dict) -> dict:
    data = {"name": name}
    for phase, (opens, closes) in dates.items():
        data[f"{phase}_opens"] = opens.isoformat() if opens else ""
        data[f"{phase}_closes"] = closes.isoformat() if closes else ""
    return data


def _sequential(start: date) -> dict:
    return {
        phase: (start + timedelta(days=10 * i), start + timedelta(days=10 * i + 9))
        for i, phase in enumerate(DATED_PHASES)
    }


def test_the_new_cycle_form_starts_from_the_template(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("programs:create_cycle", args=[world.program.pk]))
    assert page.status_code == 200
    assert 'name="nominations_opens"' in page.content.decode()
    assert page.context["form"].initial["nominations_opens"] > timezone.localdate()


def test_an_administrator_creates_a_cycle_on_one_form(world, client_for):
    client = client_for(world.users["admin"])
    dates = _sequential(date(2027, 3, 1))
    response = client.post(
        reverse("programs:create_cycle", args=[world.program.pk]), _form_data("Spring", dates)
    )
    cycle = Cycle.objects.get(program=world.program, name="Spring")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:cycle", args=[cycle.pk])
    saved = {p.phase: (p.opens_on, p.closes_on) for p in cycle.phases.all()}
    assert saved == dates
    assert cycle.history.first().history_user == world.users["admin"]
    page = client.get(response["Location"]).content.decode()
    assert "Coordinators nominate their employees" in page  # what the phase opens


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"preferences_closes": "2027-03-01"},
            "preferences_closes",
            "cannot close before it opens",
        ),
        ({"interviews_opens": "2027-03-02"}, "interviews_opens", "cannot open before"),
        ({"matching_opens": ""}, "matching_opens", "Give the day"),
        ({"name": "2027"}, "name", "already has a cycle with this name"),
    ],
)
def test_a_bad_schedule_is_refused_beside_the_field(world, client_for, change, field, message):
    client = client_for(world.users["admin"])
    data = _form_data("Spring", _sequential(date(2027, 3, 1))) | change
    before = (Cycle.objects.count(), CyclePhase.objects.count())
    response = client.post(reverse("programs:create_cycle", args=[world.program.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="{field}-error"' in page and message in page
    assert (Cycle.objects.count(), CyclePhase.objects.count()) == before


def test_phases_may_not_overlap_when_the_program_says_so(world, client_for):
    world.program.phases_may_overlap = False
    world.program.save()
    dates = _sequential(date(2027, 3, 1))
    dates["opportunities"] = (dates["nominations"][0], dates["opportunities"][1])
    errors = cycle_schedule_errors(world.program, dates)
    assert errors["opportunities"].field == "opens"
    assert "does not let phases overlap" in errors["opportunities"].message


def test_a_cycle_cannot_start_before_the_last_one_ends_when_the_program_forbids_it(
    world, client_for
):
    phase_dates(world.cycle, "placements", date(2027, 5, 1), date(2027, 8, 31))
    client = client_for(world.users["admin"])
    url = reverse("programs:create_cycle", args=[world.program.pk])
    early = _form_data("Autumn", _sequential(date(2027, 8, 1)))
    world.program.cycles_may_overlap = True
    world.program.save()
    assert client.post(url, early).status_code == 302  # allowed by this program
    world.program.cycles_may_overlap = False
    world.program.save()
    response = client.post(url, early | {"name": "Autumn bis"})
    assert response.status_code == 200
    assert "does not let cycles overlap" in response.content.decode()
    assert not Cycle.objects.filter(name="Autumn bis").exists()
    later = _form_data("Winter", _sequential(date(2027, 11, 1)))
    assert client.post(url, later).status_code == 302


def test_copying_the_last_cycle_shifts_its_dates_and_keeps_its_panels(
    world, client_for, django_capture_on_commit_callbacks
):
    source = CycleFactory(program=world.program, name="2026")
    for phase, (opens, closes) in _sequential(date(2026, 3, 2)).items():
        phase_dates(source, phase, opens, closes)
    panel = PanelFactory(cycle=source, name="Panel A")
    member = UserFactory(username="panel_member")
    panel.members.add(member)
    grant(member, "panelist", cycle=source)
    client = client_for(world.users["admin"])
    url = reverse("programs:copy_cycle", args=[source.pk])
    form = client.get(url).context["form"]
    # Moved past the end by whole weeks: the same days of the week.
    first = form.initial["nominations_opens"]
    assert (
        first > date(2026, 3, 2) + timedelta(days=59) and (first - date(2026, 3, 2)).days % 7 == 0
    )
    data = {"name": "2026 again"}
    days = {k: v for k, v in form.initial.items() if k.endswith(("_opens", "_closes"))}
    data |= {k: v.isoformat() for k, v in days.items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    copy = Cycle.objects.get(name="2026 again")
    assert copy.phases.count() == 6
    copied_panel = Panel.objects.get(cycle=copy, name="Panel A")
    assert list(copied_panel.members.all()) == [member]
    # Granted the one way roles are granted: by whom, why, in the history, and told by e-mail.
    copied = RoleGrant.objects.active().get(user=member, role="panelist", cycle=copy)
    assert (copied.granted_by, copied.reason) == (world.users["admin"], "Panel copied from 2026")
    assert copied.history.first().history_user == world.users["admin"]
    assert [m.to for m in mail.outbox if "Panelist" in m.subject] == [[member.email]]


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coord_a", 403), ("board", 403), ("auditor", 403), ("panelist", 403)],
)
def test_who_creates_and_copies_cycles(world, client_for, role, status):
    client = client_for(world.users[role])
    assert (
        client.get(reverse("programs:create_cycle", args=[world.program.pk])).status_code == status
    )
    assert client.get(reverse("programs:copy_cycle", args=[world.cycle.pk])).status_code == status
    data = _form_data("By " + role, _sequential(date(2027, 3, 1)))
    client.post(reverse("programs:create_cycle", args=[world.program.pk]), data)
    assert Cycle.objects.filter(name="By " + role).exists() == (status == 200)


def test_coordinators_are_reminded_on_the_programs_schedule(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    from talent_exchange.placements.reminders import send_reminders

    world.program.reminder_days = [7, 2]
    world.program.save()
    world.cycle.state = "nominations"
    world.cycle.save()
    today = date(2027, 3, 1)
    phase_dates(world.cycle, "nominations", date(2027, 2, 1), today + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today - timedelta(days=1)) == 0  # 8 days before: not on the schedule
        sent = send_reminders(today)
        again = send_reminders(today)  # the same day again: nothing twice
    assert sent == 1 and again == 0
    to = {address for message in mailoutbox for address in message.to}
    assert to == {world.users["coord_a"].email, world.users["coord_b"].email}
    assert "Nominate your employees" in mailoutbox[0].body


def test_the_opening_mail_brings_each_coordinator_to_the_page_or_one_step_from_it(
    world, django_capture_on_commit_callbacks
):
    """Issue 10 item 4: a coordinator who has signed in before goes straight to the page;
    one who never has goes through choosing a password, then on to the same page."""
    from talent_exchange.programs.services import announce_opening

    world.users["coord_b"].last_login = timezone.now()
    world.users["coord_b"].save()
    with django_capture_on_commit_callbacks(execute=True):
        announce_opening(world.cycle)
    page = reverse("nominations:create", args=[world.cycle.pk])
    bodies = {m.to[0]: m.body for m in mail.outbox}
    signed_in_before = bodies[world.users["coord_b"].email]
    assert f"{page}\n" in signed_in_before and "/accounts/welcome/" not in signed_in_before
    never = bodies[world.users["coord_a"].email]
    assert "/accounts/welcome/" in never and f"?next={page}\n" in never


# -- the cycle's name in both languages (issue 15, item 4) ------------------------------------


def test_the_form_saves_the_french_name_and_a_french_reader_sees_it(world, client_for):
    admin = world.users["admin"]
    client = client_for(admin)
    data = _form_data("Spring 2027", _sequential(date(2027, 3, 1))) | {"name_fr": "Printemps 2027"}
    response = client.post(reverse("programs:create_cycle", args=[world.program.pk]), data)
    cycle = Cycle.objects.get(program=world.program, name="Spring 2027")
    assert cycle.name_fr == "Printemps 2027"
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Spring 2027</h1>" in page and "Printemps" not in page
    admin.language = "fr"
    admin.save()
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Printemps 2027</h1>" in page
    copy_form = client.get(reverse("programs:copy_cycle", args=[cycle.pk])).context["form"]
    assert copy_form.initial["name_fr"] == "Printemps 2027 (copie)"


def test_the_french_name_is_optional(world, client_for):
    client = client_for(world.users["admin"])
    data = _form_data("Autumn", _sequential(date(2027, 3, 1)))
    client.post(reverse("programs:create_cycle", args=[world.program.pk]), data)
    assert Cycle.objects.get(program=world.program, name="Autumn").name_fr == ""
