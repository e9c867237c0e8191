"""Who may see and change rankings. Dates and phases are checked in the services
(deadlines.py); these rules say *whose* ranking a user may touch."""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import is_any_program_admin, is_auditor
from talent_exchange.programs.rules import administers_program, can_see_program


@rules.predicate
def is_nominee(user, nomination) -> bool:
    roles = roles_of(user)
    if nomination is None:
        return roles.person_id is not None
    return roles.person_id is not None and nomination.person_id == roles.person_id


@rules.predicate
def coordinates_host(user, opportunity) -> bool:
    roles = roles_of(user)
    if opportunity is None:
        return roles.is_coordinator
    return opportunity.host_organization_id in roles.coordinator_org_ids


rules.add_perm("preferences.view_cycle_preferences", is_auditor | can_see_program)
rules.add_perm(
    "preferences.view_participant_ranking", is_auditor | is_nominee | administers_program
)
rules.add_perm("preferences.rank_opportunities", is_nominee | administers_program)
rules.add_perm("preferences.view_host_ranking", is_auditor | coordinates_host | administers_program)
rules.add_perm("preferences.rank_candidates", coordinates_host | administers_program)

# Back office: read-only, because a change must keep ranks contiguous and respect the
# deadline — it goes through the pages (services), never through a raw admin form.
for model in ("participantranking", "hostranking"):
    rules.add_perm(f"preferences.view_{model}", is_auditor | is_any_program_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"preferences.{action}_{model}", rules.always_deny)
