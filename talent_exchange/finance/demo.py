"""Demo money and backfill plans for the Bayshore program, as the demo data leaves it
(nonprod/demo_data.py, then placements/demo.py).

- A treasurer (``treasurer``) of the program and a finance officer (``finance``) of the City
  of Mariposa Bay, with the demo password.
- Billing profiles; the closed cycle's fees ($1,000 per participant sent, reduced by half
  for an organisation that sends and hosts), invoiced: one paid, one partly credited.
- The cost arrangements of the closed cycle's two placements (cost-shared, the host pays
  half): one invoiced (a draft, ready to issue), the other on "signed but not invoiced".
- A corporate sponsor, a seed grant and a budget with actuals for this year.
- A two-link vacancy chain for one endorsed nominee of the current cycle; the other
  nominees' posts are left without a plan (the dashboard lists them).

``seed_finance`` is idempotent: it does nothing when the closed cycle already has fees.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import TextIOBase

from django.db import transaction
from django.utils import timezone

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.services import grant_role
from talent_exchange.nominations.models import Nomination
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import Person
from talent_exchange.placements.models import Placement
from talent_exchange.programs.models import Cycle

from . import services
from .models import (
    BudgetCategory,
    BudgetLine,
    CostArrangement,
    CoverMethod,
    FeeSchedule,
    FundingLine,
    WaiverKind,
)

PROGRAM = "Bayshore Management Talent Exchange Program"
CLOSED_CYCLE = "2026 Spring Exchange"
CURRENT_CYCLE = "2027 Spring Exchange"


def _user(username: str, first: str, last: str, email: str) -> User:
    from talent_exchange.nonprod.personas import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _grant(user: User, role: str, *, by: User, reason: str, **scope) -> None:
    """Give the role once, as the program's administrator does on its roles page."""
    if not RoleGrant.objects.active().filter(user=user, role=role, **scope).exists():
        grant_role(role, user, actor=by, reason=reason, confirmed=True, **scope)


def seed_finance(stdout: TextIOBase | None = None, *, today: date | None = None) -> int:
    """Create the demo's money and backfill plans; returns how many invoices were made."""
    closed = Cycle.objects.filter(program__name=PROGRAM, name=CLOSED_CYCLE).first()
    if closed is None or FeeSchedule.objects.filter(cycle=closed).exists():
        return 0
    program = closed.program
    today = timezone.localdate()
    with transaction.atomic():
        admin = User.objects.get(username="admin")
        mariposa = Organization.objects.get(name="City of Mariposa Bay")
        cedar = Organization.objects.get(name="City of Cedar Hollow")
        county = program.administering_organization
        treasurer = _user(
            "treasurer", "Priya", "Natarajan", "priya.natarajan@bayshorecounty.example"
        )
        finance = _user("finance", "Owen", "Fitzgerald", "owen.fitzgerald@mariposabay.example")
        _grant(
            treasurer, Role.TREASURER, by=admin, reason="Keeps the program's accounts.",
            program=program,
        )  # fmt: skip
        _grant(
            finance, Role.FINANCE_OFFICER, by=admin,
            reason="Handles the city's invoices and payments.", organization=mariposa,
        )  # fmt: skip
        for org, prefix, address in (
            (county, "BAY", "Bayshore County Human Resources\n1 Civic Center Plaza"),
            (mariposa, "MB", "City of Mariposa Bay Finance\n200 Harbor Street"),
            (cedar, "CH", "City of Cedar Hollow Finance\n15 Cedar Avenue"),
        ):
            services.save_billing_profile(
                org, admin, currency="USD", address=address, prefix=prefix
            )

        services.save_fee_schedule(
            closed,
            treasurer,
            per_participant_sent=Decimal("1000.00"),
            waiver=WaiverKind.REDUCE_IF_BOTH,
            waiver_percent=50,
        )
        made = 0
        issued_on = today - timedelta(days=60)
        for invoice in services.generate_fee_invoices(closed, treasurer):
            made += 1
            issued = services.issue_invoice(invoice, treasurer, issued_on=issued_on)
            if issued.recipient_id == mariposa.pk:
                services.record_payment(
                    issued, treasurer, amount=issued.total,
                    received_on=issued_on + timedelta(days=21), reference="EFT 44871",
                )  # fmt: skip
            else:
                services.issue_credit_note(
                    issued, treasurer, amount=Decimal("100.00"),
                    reason="Forum fee already paid directly",
                    issued_on=issued_on + timedelta(days=7),
                )  # fmt: skip

        placements = list(Placement.objects.filter(cycle=closed).select_related("agreement"))
        for k, placement in enumerate(placements):
            if CostArrangement.objects.filter(placement=placement).exists():
                continue
            arrangement = CostArrangement.objects.create(
                placement=placement, basis="cost_shared", authority="mou",
                payer_id=placement.host_organization_id, payee_id=placement.home_organization_id,
                payer_percent=50, payee_percent=50, billing_frequency="once",
            )  # fmt: skip
            arrangement.components.create(kind="salary", amount=Decimal("27000.00"))
            arrangement.components.create(kind="benefits", percent_of_salary=Decimal("32"))
            arrangement.components.create(kind="travel", amount=Decimal("640.00"), is_estimate=True)
            if k == 0 and arrangement.is_frozen and placement.end_date < today:
                made += len(services.generate_cost_invoices(arrangement, admin, as_of=today))

        for funding in (
            FundingLine(
                program=program, kind="sponsor", funder="Pacific Gas & Power Foundation",
                amount=Decimal("25000.00"), received=Decimal("25000.00"),
                conditions="Acknowledged at the learning forums; a one-page report each year.",
                reporting_dates=[date(today.year, 12, 15).isoformat()],
            ),
            FundingLine(
                program=program, kind="grant", funder="State Workforce Innovation Seed Grant",
                amount=Decimal("50000.00"), received=Decimal("20000.00"),
                conditions="Second instalment once 12 participants have completed an assignment.",
                reporting_dates=[
                    date(today.year, 6, 30).isoformat(), date(today.year + 1, 6, 30).isoformat()
                ],
            ),
        ):  # fmt: skip
            services.save_funding_line(funding, treasurer)
        year = today.year
        for category, planned, description in (
            (BudgetCategory.FEES, "12000.00", ""),
            (BudgetCategory.SPONSORS, "25000.00", "Pacific Gas & Power Foundation"),
            (BudgetCategory.GRANTS, "50000.00", "Seed grant"),
            (BudgetCategory.FORUMS, "18000.00", "Four learning forums"),
            (BudgetCategory.MATERIALS, "3500.00", "Workbooks and name badges"),
            (BudgetCategory.ADMINISTRATION, "30000.00", "Bayshore County HR time"),
        ):
            line = BudgetLine(
                program=program,
                year=year,
                category=category,
                planned=Decimal(planned),
                description=description,
            )
            services.save_budget_line(line, treasurer)
            if category == BudgetCategory.FORUMS:
                services.record_expense(
                    line, treasurer, amount=Decimal("4250.00"),
                    spent_on=date(year, 1, 20), description="Kick-off forum, venue and catering",
                )  # fmt: skip

        _vacancy_chain(admin)
    if stdout:
        stdout.write(f"Demo money: {made} invoices, funding lines, budget and a vacancy chain.\n")
    return made


def _vacancy_chain(admin: User) -> None:
    """Jordan's kind of chain, in the current cycle: the first endorsed nominee of Mariposa
    Bay goes out, a colleague acts for them (a developmental assignment), and someone acts
    for the colleague."""
    nomination = (
        Nomination.objects.filter(
            cycle__program__name=PROGRAM,
            cycle__name=CURRENT_CYCLE,
            home_organization__name="City of Mariposa Bay",
        )
        .endorsed()
        .order_by("pk")
        .first()
    )
    if nomination is None:
        return
    taken = set(
        Nomination.objects.filter(cycle=nomination.cycle).values_list("person_id", flat=True)
    )
    colleagues = list(
        Person.objects.filter(organization_id=nomination.home_organization_id)
        .exclude(pk__in=taken)
        .order_by("last_name", "first_name")[:2]
    )
    if len(colleagues) < 2:
        return
    phase_start = timezone.localdate() + timedelta(days=60)
    plan = services.plan_backfill(
        nomination, admin, post_title=nomination.person.position_title or "Manager",
        method=CoverMethod.ACTING, acting_person=colleagues[0], starts_on=phase_start,
        ends_on=phase_start + timedelta(days=90), developmental=True,
        notes="Acting appointment agreed with the department head.",
    )  # fmt: skip
    services.add_chain_link(
        plan, admin, post_title=colleagues[0].position_title or "Analyst",
        method=CoverMethod.ACTING, acting_person=colleagues[1], starts_on=phase_start,
        ends_on=phase_start + timedelta(days=90),
    )  # fmt: skip
