"""Who may do what to an opportunity. Read with ``user.has_perm("opportunities.…", obj)``.

- the host's coordinators draft, edit, submit and withdraw their own organisation's (and, in
  a program whose administrators act for its organisations, its administrators too);
- the program's administrators approve or return submitted ones;
- everyone in the program sees the approved ones; auditors read everything, write nothing.
"""

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import in_scope
from talent_exchange.core.predicates import (
    coordinates_org_of,
    has_any_role,
    is_any_coordinator,
    is_auditor,
)
from talent_exchange.programs.rules import administers_program, can_see_program

from .models import OpportunityStatus


@rules.predicate
def is_approved(user, obj) -> bool:
    return obj is not None and obj.status == OpportunityStatus.APPROVED


@rules.predicate
def coordinates_in_program(user, cycle) -> bool:
    """A coordinator of an organisation taking part in the cycle's program (to post into it)."""
    roles = roles_of(user)
    if cycle is None:
        return roles.is_coordinator
    from talent_exchange.programs.models import Program

    participants = Program.organization_ids_by_program([cycle.program_id]).get(
        cycle.program_id, set()
    )
    return bool(participants & roles.coordinator_org_ids)


@rules.predicate
def acts_for_organizations(user, obj) -> bool:
    """An administrator of a program whose administrators act for its organisations (a
    program inside one government, like Alberta's): they post and keep opportunities on
    behalf of any of its organisations. Asked about a cycle (to post) or an opportunity."""
    roles = roles_of(user)
    if obj is None or not roles.admin_program_ids:
        return False
    from talent_exchange.programs.models import Cycle

    program = obj.program if isinstance(obj, Cycle) else obj.cycle.program
    if program.pk not in roles.admin_program_ids:
        return False
    if not program.administrators_act_for_organizations:
        return False
    host = getattr(obj, "host_organization_id", None)
    return host is None or host in roles.admin_org_ids


@rules.predicate
def sees_its_program(user, opportunity) -> bool:
    """The opportunity's program is one the user sees. Known at once for an opportunity read
    through ``Opportunity.objects.visible_to(user)``, which keeps to those programs."""
    if opportunity is not None and in_scope(opportunity, user):
        return True
    return can_see_program.test(user, opportunity)


can_view = is_auditor | administers_program | coordinates_org_of | (is_approved & sees_its_program)

rules.add_perm("opportunities.list_opportunities", has_any_role)
rules.add_perm("opportunities.view_opportunity", can_view)
# ``add`` is asked about a cycle on the pages, and about the kind (None) in the admin.
# A single-government program's administrators may act for its organisations (its rules).
rules.add_perm("opportunities.add_opportunity", coordinates_in_program | acts_for_organizations)
rules.add_perm("opportunities.change_opportunity", coordinates_org_of | acts_for_organizations)
rules.add_perm("opportunities.submit_opportunity", coordinates_org_of | acts_for_organizations)
rules.add_perm("opportunities.withdraw_opportunity", coordinates_org_of | acts_for_organizations)
rules.add_perm("opportunities.review_opportunity", administers_program)
rules.add_perm("opportunities.list_review_queue", administers_program | is_auditor)
rules.add_perm("opportunities.list_own_opportunities", is_any_coordinator | is_auditor)
# Opportunities are withdrawn, never deleted: their history stays.
rules.add_perm("opportunities.delete_opportunity", rules.always_deny)
rules.add_perm("opportunities.view_opportunitytransition", is_auditor | administers_program)
