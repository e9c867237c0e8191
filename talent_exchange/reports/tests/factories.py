"""A program with placements in both directions, outcomes and evaluations, for the reports
tests (built on the placements app's factories)."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from talent_exchange.people.tests.factories import PersonFactory
from talent_exchange.placements.models import Evaluation, Outcome, Stage
from talent_exchange.placements.tests.factories import placement_in
from talent_exchange.reports.models import Export


def populate(world, n: int) -> list:
    """``n`` placements from City A to City B and back, each with a recorded outcome and a
    final rating."""
    made = []
    for i in range(n):
        a_to_b = i % 2 == 0
        person = PersonFactory(organization=world.city_a if a_to_b else world.city_b)
        placement = placement_in(
            world,
            person=person,
            host=world.city_b if a_to_b else world.city_a,
            coach=world.person_b if a_to_b else world.person_a,
            title=f"Assignment {i}",
            start=date(2027, 2, 1),
        )
        outcome = Outcome.objects.filter(
            placement=placement, months_after=12
        ).first() or Outcome.objects.create(
            placement=placement, months_after=12, due_on=date(2028, 8, 1)
        )
        outcome.promoted = i % 3 == 0
        outcome.new_role = True
        outcome.still_with_home = True
        outcome.recorded_at = timezone.now()
        outcome.save()
        evaluation, _created = Evaluation.objects.get_or_create(
            placement=placement,
            stage=Stage.FINAL,
            respondent="participant",
            defaults={"due_on": date(2027, 5, 1)},
        )
        if evaluation is not None:
            evaluation.rating = 4
            evaluation.submitted_at = timezone.now()
            evaluation.lessons_learned = (
                '=HYPERLINK("http://evil")' if i == 0 else "Plan the return early."
            )
            evaluation.share_with_program = True
            evaluation.save()
        made.append(placement)
    return made


class ExportFactory(DjangoModelFactory):
    class Meta:
        model = Export

    report = "reports.outcomes"
    format = "xlsx"
    requested_by = factory.SubFactory("talent_exchange.accounts.tests.factories.UserFactory")


def populate_other_apps(world, placements: list) -> None:
    """A little of every app that adds sections to the history format (learning,
    development, finance), around ``placements`` (from ``populate``)."""
    from datetime import timedelta
    from decimal import Decimal

    from talent_exchange.development.models import ProgressEntry
    from talent_exchange.development.tests.factories import (
        DevelopmentPlanFactory,
        MobilityExceptionFactory,
        PlanItemFactory,
        SuccessionCandidateFactory,
    )
    from talent_exchange.finance.models import (
        BackfillPlan,
        Invoice,
        InvoiceLine,
        InvoiceTransition,
        Payment,
        Posting,
    )
    from talent_exchange.finance.tests.factories import (
        FeeScheduleFactory,
        FundingLineFactory,
        reimbursable,
    )
    from talent_exchange.learning.models import Feedback
    from talent_exchange.learning.tests.factories import (
        CircleFactory,
        InvitationFactory,
        PostFactory,
        SessionFactory,
        ThreadFactory,
    )

    admin, program = world.users["admin"], world.program
    people = [p.person for p in placements]
    circle = CircleFactory(program=program, cycle=world.cycle)
    circle.members.set(people)
    session = SessionFactory(program=program, cycle=world.cycle, organiser=admin)
    for person in people:
        InvitationFactory(session=session, person=person, response="yes", attendance="present")
        Feedback.objects.create(session=session, person=person, rating=5, comment="Useful.")
    PostFactory(thread=ThreadFactory(program=program, author=admin), author=admin)

    for placement in placements:
        plan = DevelopmentPlanFactory(person=placement.person, program=program)
        PlanItemFactory(plan=plan, placement=placement)
        ProgressEntry.objects.create(
            plan=plan, stage="midyear", author_role="person", text="On track.", written_by=admin
        )
    MobilityExceptionFactory(person=people[0], program=program, requested_by=admin)
    SuccessionCandidateFactory(
        plan__program=program, plan__incumbent=world.person_b, person=people[0]
    )

    FeeScheduleFactory(cycle=world.cycle)
    FundingLineFactory(program=program)
    placement = placements[0]
    arrangement = reimbursable(placement)
    invoice = Invoice.objects.create(
        program=program,
        cycle=world.cycle,
        kind="cost",
        issuer=arrangement.payee,
        recipient=arrangement.payer,
        placement=placement,
        currency="USD",
        total=Decimal("1000.00"),
        paid=Decimal("400.00"),
        status="partly_paid",
        number=1,
        reference="A-1",
        issued_on=placement.start_date,
        due_on=placement.start_date + timedelta(days=30),
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        description="Salary",
        unit_amount=Decimal("1000.00"),
        amount=Decimal("1000.00"),
        placement=placement,
    )
    InvoiceTransition.objects.create(
        invoice=invoice, from_state="draft", to_state="issued", actor=admin
    )
    payment = Payment.objects.create(
        invoice=invoice,
        amount=Decimal("400.00"),
        received_on=placement.start_date,
        recorded_by=admin,
    )
    for memo, debtor, creditor, amount, paid in (
        ("Invoice A-1", arrangement.payer, arrangement.payee, Decimal("1000.00"), None),
        ("Payment of A-1", arrangement.payee, arrangement.payer, Decimal("400.00"), payment),
    ):
        Posting.objects.create(
            program=program,
            debtor=debtor,
            creditor=creditor,
            amount=amount,
            currency="USD",
            invoice=invoice,
            payment=paid,
            memo=memo,
            posted_on=placement.start_date,
        )
    root = BackfillPlan.objects.create(
        nomination=placement.offer.nomination,
        post_holder=placement.person,
        post_title="Analyst",
        method="acting",
        acting_person=world.person_a,
        recorded_by=admin,
    )
    BackfillPlan.objects.create(
        root=root,
        parent=root,
        post_holder=world.person_a,
        post_title="Senior analyst",
        method="vacant",
        recorded_by=admin,
    )
