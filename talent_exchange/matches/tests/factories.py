"""Match runs and offers for tests, and a small market built from the other apps' factories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.accounts.tests.factories import UserFactory
from talent_exchange.matches.models import MatchMode, MatchRun, Offer, RunStatus
from talent_exchange.nominations.models import Nomination
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.preferences.tests.factories import host_rank, rank
from talent_exchange.programs.tests.factories import CycleFactory


class MatchRunFactory(DjangoModelFactory):
    """A finished stable run with a small result."""

    class Meta:
        model = MatchRun

    cycle = factory.SubFactory(CycleFactory)
    mode = MatchMode.STABLE
    status = RunStatus.SUCCEEDED
    started_by = factory.SubFactory(UserFactory)
    result = factory.LazyFunction(
        lambda: {
            "status": "stable",
            "assignments": [{"participant": "n1", "slot": "o1", "reasons": ["first choice"]}],
            "unmatched": [{"participant": "n2", "reasons": ["ranked nothing"]}],
            "metrics": {"matched": 1, "unmatched": 1},
            "problems": [],
        }
    )


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    run = factory.SubFactory(MatchRunFactory)
    nomination = factory.SubFactory(NominationFactory, cycle=factory.SelfAttribute("..run.cycle"))
    opportunity = factory.SubFactory(OpportunityFactory, cycle=factory.SelfAttribute("..run.cycle"))
    respond_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


@dataclass
class SmallMarket:
    """Two cities exchanging: Ada (A) and Bo (B) and Cy (B); a place at A, one at B, one at
    the county (administering organisation)."""

    cycle: object
    ada: Nomination
    bo: Nomination
    cy: Nomination
    at_a: Opportunity
    at_b: Opportunity
    at_county: Opportunity
    extra: dict = field(default_factory=dict)


def small_market(world) -> SmallMarket:
    cycle = world.cycle
    cycle.state = "matching"  # runs start in the matching phase
    cycle.save(update_fields=["state"])
    ada = NominationFactory(cycle=cycle, person=world.person_a)
    bo = NominationFactory(cycle=cycle, person=world.person_b)
    cy = NominationFactory(
        cycle=cycle, person=PersonFactory(organization=world.city_b, first_name="Cy")
    )
    coach = PersonFactory(organization=world.city_b, first_name="Coach", last_name="Carter")
    at_a = OpportunityFactory(cycle=cycle, host_organization=world.city_a, title="Budget at A")
    at_b = OpportunityFactory(
        cycle=cycle, host_organization=world.city_b, title="Parks at B", coach=coach
    )
    at_county = OpportunityFactory(
        cycle=cycle, host_organization=world.program.administering_organization, title="County IT"
    )
    rank(ada, at_b, at_county)
    rank(bo, at_a, at_county)
    rank(cy, at_a, at_county)
    host_rank(at_a, cy, bo)
    return SmallMarket(cycle, ada, bo, cy, at_a, at_b, at_county)


def finished_run(cycle, user, *, result: dict, market: dict | None = None, round=1, mode="stable"):
    return MatchRunFactory(
        cycle=cycle,
        round=round,
        mode=mode,
        progress=100,
        market=market or {"participants": []},
        result=result,
        started_by=user,
    )


def offer(run, nomination, opportunity, **fields) -> Offer:
    return OfferFactory(run=run, nomination=nomination, opportunity=opportunity, **fields)
