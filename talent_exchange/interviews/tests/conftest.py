from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from talent_exchange.nominations.tests.factories import NominationFactory
from tests.factories import UserFactory, grant

from .factories import PanelAssignmentFactory, PanelFactory, RubricCriterionFactory


@dataclass
class Interviews:
    world: object
    nom_a: object
    nom_b: object
    leadership: object
    judgement: object
    panel1: object
    panel2: object
    a1: object  # nom_a before panel 1 (panelist, panelist2)
    a2: object  # nom_b before panel 2 (panelist3)
    users: dict


@pytest.fixture
def interviews(world) -> Interviews:
    cycle = world.cycle
    cycle.state = "interviews"
    cycle.save()
    users = dict(world.users)
    for name in ("panelist2", "panelist3"):
        users[name] = UserFactory(username=name, first_name=name.title(), last_name="Panel")
        grant(users[name], "panelist", cycle=cycle)
    nom_a = NominationFactory(cycle=cycle, person=world.person_a)
    nom_b = NominationFactory(cycle=cycle, person=world.person_b)
    leadership = RubricCriterionFactory(
        program=world.program, name="Leadership", order=1, weight=Decimal(2), max_score=5
    )
    judgement = RubricCriterionFactory(
        program=world.program, name="Judgement", order=2, weight=Decimal(1), max_score=4
    )
    panel1 = PanelFactory(
        cycle=cycle, name="Panel one", members=[users["panelist"], users["panelist2"]]
    )
    panel2 = PanelFactory(cycle=cycle, name="Panel two", members=[users["panelist3"]])
    a1 = PanelAssignmentFactory(panel=panel1, nomination=nom_a)
    a2 = PanelAssignmentFactory(panel=panel2, nomination=nom_b)
    return Interviews(world, nom_a, nom_b, leadership, judgement, panel1, panel2, a1, a2, users)
