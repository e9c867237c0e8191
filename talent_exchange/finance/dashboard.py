"""Finance boxes on the dashboard (core/dashboard.py): reimbursable arrangements signed but
not invoiced, and the posts of endorsed nominees left without a backfill plan before their
placements start. Each costs a fixed number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.dashboard import Section, section
from talent_exchange.nominations.models import Nomination
from talent_exchange.placements.models import Placement, Status
from talent_exchange.programs.models import Phase

from .models import CostArrangement
from .services import signed_not_invoiced

LIMIT = 20


# Any signed reimbursable arrangement, whoever may see it: a superset.
@section(
    "finance.signed_not_invoiced",
    relevant=lambda probe: CostArrangement.objects.invoiced().filter(
        placement__agreement__frozen_at__isnull=False
    ),
)
def uninvoiced(user, roles, today: date) -> Section | None:
    if not (roles.admin_program_ids or roles.treasurer_program_ids or roles.finance_org_ids):
        return None
    rows = signed_not_invoiced(CostArrangement.objects.visible_to(user), today)
    if not rows:
        return None
    return Section(
        _("Signed but not invoiced"),
        "finance/dashboard/uninvoiced.html",
        {"rows": rows[:LIMIT], "more": max(0, len(rows) - LIMIT)},
        testid="finance-uninvoiced",
    )


def posts_without_plan(user, today: date):
    """Endorsed nominations with no backfill plan whose placement has not started yet (or
    that are not placed yet), in open cycles, soonest first: those whose backfill this user
    plans (``finance.plan_backfill``: the home organisation's coordinators, the program's
    administrators), not every nomination they see (an endorser sees others' too)."""
    roles = roles_of(user)
    placement = Placement.objects.filter(
        person_id=OuterRef("person_id"), cycle_id=OuterRef("cycle_id")
    ).order_by("start_date")
    return (
        Nomination.objects.filter(
            Q(home_organization_id__in=roles.coordinator_org_ids)
            | Q(cycle__program_id__in=roles.admin_program_ids)
        )
        .endorsed()
        .filter(backfill__isnull=True)
        .exclude(cycle__state=Phase.CLOSED)
        .annotate(
            starts_on=Subquery(placement.values("start_date")[:1]),
            placement_status=Subquery(placement.values("status")[:1]),
        )
        .filter(Q(placement_status__isnull=True) | Q(placement_status=Status.AGREEMENT))
        # Not placed yet last, on SQLite too (it sorts NULL first).
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def first_posts_without_plan(user, today: date, limit: int) -> list[Nomination]:
    """The first ``limit`` of ``posts_without_plan``, each with its ``starts_on``.

    Ordered first as bare ids: an administrator of a 10,000-nominee cycle may see every
    nominee, and joining each one's person and organisation before sorting cost about 130
    ms of PostgreSQL per dashboard; the rows shown are then read by id."""
    first = list(posts_without_plan(user, today).values_list("pk", "starts_on")[:limit])
    found = Nomination.objects.select_related("person", "home_organization", "cycle").in_bulk(
        [pk for pk, _starts_on in first]
    )
    rows = []
    for pk, starts_on in first:
        nomination = found[pk]
        nomination.starts_on = starts_on
        rows.append(nomination)
    return rows


@section("finance.backfill_missing")
def backfill_missing(user, roles, today: date) -> Section | None:
    if not (roles.coordinator_org_ids or roles.admin_program_ids):
        return None
    rows = first_posts_without_plan(user, today, LIMIT + 1)
    if not rows:
        return None
    return Section(
        _("Posts without a backfill plan"),
        "finance/dashboard/backfill.html",
        {"rows": rows[:LIMIT], "more": len(rows) > LIMIT},
        testid="finance-backfill",
    )
