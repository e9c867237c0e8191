"""Who may do what with match runs, pair constraints and offers.

Only a program's administrators start, compare, lock or forbid, and publish; auditors read
everything; a participant sees and answers only their own offer; a host's coordinators (and the
opportunity's coach) see the offers for the host's opportunities.
"""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.predicates import has_any_role, is_auditor, is_superuser
from talent_exchange.programs.rules import administers_program


@rules.predicate
def is_offer_participant(user, offer) -> bool:
    roles = roles_of(user)
    if offer is None:
        return roles.is_participant
    return roles.person_id is not None and offer.nomination.person_id == roles.person_id


@rules.predicate
def hosts_offer(user, offer) -> bool:
    roles = roles_of(user)
    if offer is None:
        return roles.is_coordinator
    opportunity = offer.opportunity
    return opportunity.host_organization_id in roles.coordinator_org_ids or (
        roles.person_id is not None and opportunity.coach_id == roles.person_id
    )


# Cycles, runs, constraints and offers all answer ``program_id``.
can_run = is_superuser | administers_program
can_read_runs = can_run | is_auditor

rules.add_perm("matches.view_matchrun", can_read_runs)
rules.add_perm("matches.list_runs", can_read_runs)
rules.add_perm("matches.export_market", can_read_runs)
rules.add_perm("matches.start_run", can_run)
rules.add_perm("matches.add_matchrun", can_run)
rules.add_perm("matches.compare_runs", can_run)
rules.add_perm("matches.publish_run", can_run)
rules.add_perm("matches.change_matchrun", is_superuser)
rules.add_perm("matches.delete_matchrun", is_superuser)

rules.add_perm("matches.view_pairconstraint", can_read_runs)
rules.add_perm("matches.add_pairconstraint", can_run)
rules.add_perm("matches.change_pairconstraint", can_run)
rules.add_perm("matches.delete_pairconstraint", can_run)

rules.add_perm("matches.view_weightformula", can_read_runs)
rules.add_perm("matches.change_weightformula", can_run)

rules.add_perm("matches.list_offers", has_any_role)
rules.add_perm("matches.view_offer", can_read_runs | is_offer_participant | hosts_offer)
rules.add_perm("matches.respond_offer", is_offer_participant)
rules.add_perm("matches.change_offer", is_superuser)
rules.add_perm("matches.delete_offer", is_superuser)
