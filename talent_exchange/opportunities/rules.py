"""Who may do what to an opportunity. Read with ``user.has_perm("opportunities.…", obj)``.

- the host's coordinators draft, edit, submit and withdraw their own organisation's;
- the program's administrators approve or return submitted ones;
- everyone in the program sees the approved ones; auditors read everything, write nothing.
"""

import rules

from talent_exchange.accounts.roles import roles_of
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


can_view = is_auditor | administers_program | coordinates_org_of | (is_approved & can_see_program)

rules.add_perm("opportunities.list_opportunities", has_any_role)
rules.add_perm("opportunities.view_opportunity", can_view)
# ``add`` is asked about a cycle on the pages, and about the kind (None) in the admin.
rules.add_perm("opportunities.add_opportunity", coordinates_in_program)
rules.add_perm("opportunities.change_opportunity", coordinates_org_of)
rules.add_perm("opportunities.submit_opportunity", coordinates_org_of)
rules.add_perm("opportunities.withdraw_opportunity", coordinates_org_of)
rules.add_perm("opportunities.review_opportunity", administers_program)
rules.add_perm("opportunities.list_review_queue", administers_program | is_auditor)
rules.add_perm("opportunities.list_own_opportunities", is_any_coordinator | is_auditor)
# Opportunities are withdrawn, never deleted: their history stays.
rules.add_perm("opportunities.delete_opportunity", rules.always_deny)
rules.add_perm("opportunities.view_opportunitytransition", is_auditor | administers_program)
