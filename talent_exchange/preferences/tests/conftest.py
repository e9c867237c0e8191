from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.programs.tests.factories import phase_dates


@dataclass
class Market:
    world: object
    opp_a: object  # hosted by City A: the participant's own organisation
    opp_b1: object
    opp_b2: object
    opp_county: object
    nom_a: object  # the participant (City A)
    nom_b: object  # a City B nominee


@pytest.fixture
def market(world) -> Market:
    cycle = world.cycle
    cycle.state = "preferences"
    cycle.save()
    phase_dates(cycle, "preferences", date(2026, 11, 1), date(2026, 12, 5))
    phase_dates(cycle, "interviews", date(2026, 11, 15), date(2026, 12, 20))
    county = world.program.administering_organization
    return Market(
        world,
        OpportunityFactory(cycle=cycle, host_organization=world.city_a, title="Alpha budget"),
        OpportunityFactory(cycle=cycle, host_organization=world.city_b, title="Beta parks"),
        OpportunityFactory(cycle=cycle, host_organization=world.city_b, title="Beta housing"),
        OpportunityFactory(cycle=cycle, host_organization=county, title="County IT"),
        NominationFactory(cycle=cycle, person=world.person_a),
        NominationFactory(cycle=cycle, person=world.person_b),
    )
