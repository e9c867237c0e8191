"""Every role finds its next step on the dashboard (issue 10, items 5 and 6): a coordinator
sees the open cycles their organisation takes part in, with what to do and by when; a new
program's administrator sees its first-run checklist, which disappears once done."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from talent_exchange.nominations.models import EndorsementStep
from tests.factories import CycleFactory, ProgramInvitationFactory, grant, phase_dates

pytestmark = pytest.mark.django_db


def _open(cycle, state="nominations", closes=date(2027, 3, 31)):
    cycle.state = state
    cycle.save()
    phase_dates(cycle, state, date(2027, 3, 1), closes)
    return cycle


@pytest.mark.parametrize("n", [1, 12])
def test_a_coordinator_sees_every_open_cycle_with_the_next_step(
    world, client_for, django_assert_max_num_queries, n
):
    _open(world.cycle)
    for i in range(n - 1):
        _open(CycleFactory(program=world.program, name=f"Extra {i:02d}"), "opportunities")
    CycleFactory(program=world.program, name="Still a draft")
    client = client_for(world.users["coord_a"])
    with django_assert_max_num_queries(40):  # the same for 1 and 12 cycles
        page = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="dashboard-your-cycles"' in page
    assert "Nominate your employees" in page and "31 Mar 2027" in page
    assert page.count("/programs/cycles/") >= n
    assert "Still a draft" not in page


def test_a_coordinator_of_an_organisation_outside_the_program_does_not_see_its_cycles(
    world, client_for
):
    from tests.factories import UserFactory

    _open(world.cycle)
    outsider = UserFactory(username="outside_coordinator")
    grant(outsider, "coordinator", organization=world.outsider_org)
    page = client_for(outsider).get(reverse("core:dashboard")).content.decode()
    assert reverse("programs:cycle", args=[world.cycle.pk]) not in page
    assert "No cycle is open for your organisation yet" in page


def test_the_first_run_checklist_disappears_once_every_step_is_done(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("programs:detail", args=[world.program.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="onboarding-checklist"' in page
    assert "Set the rules" in page
    assert 'data-testid="dashboard-getting-started"' in (
        client.get(reverse("core:dashboard")).content.decode()
    )
    # Rules saved, organisations in, each with a coordinator, a cycle: done.
    from django.utils import timezone

    EndorsementStep.objects.create(program=world.program, order=1, title="Supervisor")
    world.program.rules_reviewed_at = timezone.now()
    world.program.save()
    ProgramInvitationFactory(program=world.program)
    page = client.get(url).content.decode()
    assert 'data-testid="onboarding-checklist"' not in page
    assert 'data-testid="dashboard-getting-started"' not in (
        client.get(reverse("core:dashboard")).content.decode()
    )
    # Other roles never see it.
    assert 'data-testid="onboarding-checklist"' not in (
        client_for(world.users["coord_a"]).get(url).content.decode()
    )
