from __future__ import annotations

from dataclasses import dataclass

import pytest

from talent_exchange.interviews.models import Panel, PanelAssignment
from talent_exchange.matches.tests.factories import MatchRunFactory
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import HostRanking, ParticipantRanking
from tests.factories import CycleFactory, ProgramFactory, SkillFactory, UserFactory, grant


@dataclass
class Cycle:
    world: object
    opp_a: object  # approved, hosted by city A
    opp_b: object  # approved, remote, hosted by city B
    draft_a: object  # a draft of city A
    nom_a: object  # the participant's nomination (city A)
    nom_b: object  # a city B nominee, on the panelist's panel
    run: object
    other_admin: object  # administers another program


@pytest.fixture
def cycle(world) -> Cycle:
    budget = SkillFactory(name="Budget development")
    opp_a = OpportunityFactory(
        cycle=world.cycle, host_organization=world.city_a, title="Budget Analyst"
    )
    opp_b = OpportunityFactory(
        cycle=world.cycle,
        host_organization=world.city_b,
        title="Assistant to the City Manager",
        workplace="remote",
        assignment_type="rotation",
    )
    opp_b.skills_required.add(budget)
    draft_a = OpportunityFactory(
        cycle=world.cycle, host_organization=world.city_a, title="Draft idea", status="draft"
    )
    nom_a = NominationFactory(cycle=world.cycle, person=world.person_a)
    nom_b = NominationFactory(cycle=world.cycle, person=world.person_b)
    panel = Panel.objects.create(cycle=world.cycle, name="Panel 1")
    panel.members.add(world.users["panelist"])
    PanelAssignment.objects.create(panel=panel, nomination=nom_b)
    ParticipantRanking.objects.create(nomination=nom_a, opportunity=opp_b, rank=1)
    HostRanking.objects.create(opportunity=opp_b, nomination=nom_a, rank=1)
    run = MatchRunFactory(cycle=world.cycle, started_by=world.users["admin"])
    other_admin = UserFactory(username="other_admin")
    elsewhere = ProgramFactory(name="Elsewhere")
    CycleFactory(program=elsewhere)
    grant(other_admin, "program_admin", program=elsewhere)
    return Cycle(world, opp_a, opp_b, draft_a, nom_a, nom_b, run, other_admin)


@pytest.fixture
def api_as(client):
    """A test client signed in as the given user (CSRF not enforced, as Django's test client
    does by default)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
