"""Who may do what with the program's money. Read with ``user.has_perm("finance.…", obj)``.

- The program's **treasurer** and its **administrators** keep the program's funding (fee
  schedules, funding lines, budget, cost defaults), generate and issue invoices, waive them.
- An organisation's **finance officer** sees and records its own organisation's invoices
  and payments (issued or received) and its ledger, nothing else.
- Auditors read everything.
- Cost arrangements are agreed with the placement: the coordinators of the two
  organisations, their finance officers and the program's administrators and treasurer.
- Backfill plans: the home coordinator (and the program's administrators).
"""

from __future__ import annotations

from typing import Any

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import in_scope
from talent_exchange.core.predicates import is_auditor, is_superuser


def _program_id(obj: Any) -> int | None:
    from talent_exchange.programs.models import Program

    if obj is None:
        return None
    return obj.pk if isinstance(obj, Program) else obj.program_id


@rules.predicate
def keeps_program_money(user, obj) -> bool:
    """An administrator or the treasurer of the object's program."""
    roles = roles_of(user)
    if obj is None:
        return bool(roles.admin_program_ids or roles.treasurer_program_ids)
    program_id = _program_id(obj)
    return program_id in roles.admin_program_ids or program_id in roles.treasurer_program_ids


@rules.predicate
def is_treasurer_of(user, obj) -> bool:
    roles = roles_of(user)
    if obj is None:
        return bool(roles.treasurer_program_ids)
    return _program_id(obj) in roles.treasurer_program_ids


@rules.predicate
def is_finance_officer(user) -> bool:
    return bool(roles_of(user).finance_org_ids)


@rules.predicate
def keeps_issuer_books(user, invoice) -> bool:
    """A finance officer of the organisation that issued the invoice."""
    roles = roles_of(user)
    if invoice is None:
        return bool(roles.finance_org_ids)
    return invoice.issuer_id in roles.finance_org_ids


@rules.predicate
def keeps_party_books(user, invoice) -> bool:
    """A finance officer of the issuer or of the recipient."""
    roles = roles_of(user)
    if invoice is None:
        return bool(roles.finance_org_ids)
    return bool({invoice.issuer_id, invoice.recipient_id} & roles.finance_org_ids)


@rules.predicate
def keeps_org_books(user, organization) -> bool:
    roles = roles_of(user)
    if organization is None:
        return bool(roles.finance_org_ids)
    return organization.pk in roles.finance_org_ids


@rules.predicate
def sees_org_ledger_as_program(user, organization) -> bool:
    """An administrator or treasurer of a program the organisation takes part in."""
    roles = roles_of(user)
    if organization is None:
        return bool(roles.admin_program_ids or roles.treasurer_program_ids)
    from talent_exchange.programs.models import Program

    program_ids = roles.admin_program_ids | roles.treasurer_program_ids
    if organization.pk in roles.admin_org_ids:
        return True
    if not program_ids:
        return False
    by_program = Program.organization_ids_by_program(program_ids)
    return any(organization.pk in org_ids for org_ids in by_program.values())


@rules.predicate
def agrees_placement_costs(user, arrangement) -> bool:
    """``arrangement``: a cost arrangement or a placement. The two organisations'
    coordinators and finance officers, the program's administrators and treasurer."""
    roles = roles_of(user)
    if arrangement is None:
        return bool(
            roles.coordinator_org_ids
            or roles.finance_org_ids
            or roles.admin_program_ids
            or roles.treasurer_program_ids
        )
    placement = getattr(arrangement, "placement", arrangement)
    parties = {placement.home_organization_id, placement.host_organization_id}
    return bool(
        parties & (roles.coordinator_org_ids | roles.finance_org_ids)
        or placement.program_id in roles.admin_program_ids
        or placement.program_id in roles.treasurer_program_ids
    )


@rules.predicate
def sees_placement_costs(user, arrangement) -> bool:
    from .models import CostArrangement

    if arrangement is None:
        return roles_of(user).any_role
    if in_scope(arrangement, user):
        return True
    return CostArrangement.objects.visible_to(user).filter(pk=arrangement.pk).exists()


@rules.predicate
def plans_backfill(user, nomination) -> bool:
    """``nomination``: a nomination (or a plan, whose chain starts at one). Its home
    organisation's coordinators and the program's administrators."""
    roles = roles_of(user)
    if nomination is None:
        return bool(roles.coordinator_org_ids or roles.admin_program_ids)
    nomination = getattr(getattr(nomination, "root_plan", None), "nomination", None) or nomination
    return (
        nomination.home_organization_id in roles.coordinator_org_ids
        or nomination.cycle.program_id in roles.admin_program_ids
    )


@rules.predicate
def sees_finance(user) -> bool:
    roles = roles_of(user)
    return bool(
        roles.is_superuser
        or roles.is_auditor
        or roles.admin_program_ids
        or roles.treasurer_program_ids
        or roles.finance_org_ids
    )


# The finance pages: the index of what this user keeps, a program's money, an invoice.
rules.add_perm("finance.view_finance", sees_finance)
rules.add_perm("finance.view_program_finance", is_auditor | keeps_program_money)
rules.add_perm("finance.manage_funding", keeps_program_money)
rules.add_perm("finance.generate_invoices", keeps_program_money)
rules.add_perm("finance.export_finance", is_auditor | keeps_program_money)

rules.add_perm("finance.view_invoice", is_auditor | keeps_program_money | keeps_party_books)
rules.add_perm("finance.issue_invoice", keeps_program_money | keeps_issuer_books)
rules.add_perm("finance.record_payment", keeps_program_money | keeps_issuer_books)
rules.add_perm("finance.waive_invoice", keeps_program_money)
rules.add_perm("finance.write_off_invoice", keeps_program_money | keeps_issuer_books)

rules.add_perm("finance.view_ledger", is_auditor | keeps_org_books | sees_org_ledger_as_program)

rules.add_perm("finance.view_costarrangement", is_auditor | sees_placement_costs)
rules.add_perm("finance.change_costarrangement", agrees_placement_costs)


@rules.predicate
def views_placement(user, placement) -> bool:
    return user.has_perm("placements.view_placement", placement)


# the costs page of a placement (the page fetches the placement through its visible_to)
rules.add_perm(
    "finance.view_placement_costs", is_auditor | agrees_placement_costs | views_placement
)

rules.add_perm("finance.plan_backfill", plans_backfill)
rules.add_perm("finance.view_backfillplan", is_auditor | plans_backfill)

# The Django admin stays the platform operators' back office; auditors read there.
for model in (
    "billingprofile",
    "feeschedule",
    "fundingline",
    "budgetline",
    "expense",
    "costdefaults",
    "costarrangement",
    "costcomponent",
    "invoice",
    "invoiceline",
    "payment",
    "posting",
    "backfillplan",
):
    for verb in ("view", "add", "change", "delete"):
        name = f"finance.{verb}_{model}"
        if not rules.perm_exists(name):
            rules.add_perm(name, (is_auditor | is_superuser) if verb == "view" else is_superuser)
