"""Finance test data: placements that have started (light: no agreement flow), agreements
signed or not, cost arrangements, fee schedules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.matches.models import MatchRun, OfferStatus
from talent_exchange.matches.tests.factories import MatchRunFactory, OfferFactory
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.placements.models import Agreement, Placement, Status, add_months

from ..models import (
    Authority,
    Basis,
    CostArrangement,
    CostComponent,
    FeeSchedule,
    Frequency,
    FundingLine,
    WaiverKind,
)


def placement_between(
    cycle,
    home,
    host,
    *,
    status: str = Status.ACTIVE,
    start: date = date(2027, 2, 1),
    months: int = 3,
    person=None,
    signed: bool = False,
    salary_host_percent: int = 0,
) -> Placement:
    """A placement of someone from ``home`` hosted by ``host`` (and its agreement)."""
    person = person or PersonFactory(organization=home)
    run = MatchRun.objects.filter(cycle=cycle).first() or MatchRunFactory(cycle=cycle)
    offer = OfferFactory(
        run=run,
        nomination=NominationFactory(cycle=cycle, person=person),
        opportunity=OpportunityFactory(cycle=cycle, host_organization=host),
        status=OfferStatus.ACCEPTED,
    )
    end = add_months(start, months) - timedelta(days=1)
    placement = Placement.objects.create(
        offer=offer,
        program=cycle.program,
        cycle=cycle,
        person=person,
        home_organization=home,
        host_organization=host,
        title="Assignment",
        status=status,
        start_date=start,
        end_date=end,
        planned_end_date=end,
    )
    Agreement.objects.create(
        placement=placement,
        return_position="Analyst",
        return_rights="Returns.",
        re_entry_plan="Plan.",
        return_service_months=12,
        salary_home_percent=100 - salary_host_percent,
        salary_host_percent=salary_host_percent,
        expenses_home_percent=0,
        expenses_host_percent=100,
        appraisal_handling="Host.",
        awards_handling="Home.",
        frozen_at=timezone.now() if signed else None,
    )
    return placement


class FeeScheduleFactory(DjangoModelFactory):
    class Meta:
        model = FeeSchedule

    per_participant_sent = Decimal("1000.00")
    waiver = WaiverKind.NET_OF_HOSTED


class FundingLineFactory(DjangoModelFactory):
    class Meta:
        model = FundingLine

    kind = "sponsor"
    funder = factory.Sequence(lambda n: f"Sponsor {n}")
    amount = Decimal("25000.00")


def reimbursable(placement: Placement, *, salary="30000.00", frequency=Frequency.MONTHLY, cap=None):
    """An Interchange-style arrangement: the host reimburses the home organisation's
    salary and benefits (30%) and the travel."""
    arrangement = CostArrangement.objects.create(
        placement=placement,
        basis=Basis.REIMBURSABLE,
        authority=Authority.INTERCHANGE,
        payer=placement.host_organization,
        payee=placement.home_organization,
        payer_percent=100,
        payee_percent=0,
        cap=cap,
        billing_frequency=frequency,
    )
    CostComponent.objects.create(arrangement=arrangement, kind="salary", amount=Decimal(salary))
    CostComponent.objects.create(
        arrangement=arrangement, kind="benefits", percent_of_salary=Decimal("30")
    )
    CostComponent.objects.create(arrangement=arrangement, kind="travel", amount=Decimal("1500.00"))
    return arrangement
