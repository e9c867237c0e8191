"""Who may do what to an organisation."""

import rules

from talent_exchange.core.predicates import (
    administers_org_of,
    coordinates_org_of,
    has_any_role,
    is_any_program_admin,
    is_superuser,
)

rules.add_perm("organizations.list_organizations", has_any_role)
rules.add_perm("organizations.view_organization", has_any_role)
# A program administrator adds the organisations (and their components) of their programs;
# an organisation's own coordinator keeps its details.
rules.add_perm("organizations.add_organization", is_superuser | is_any_program_admin)
rules.add_perm(
    "organizations.change_organization", is_superuser | administers_org_of | coordinates_org_of
)
rules.add_perm("organizations.delete_organization", is_superuser)
# An organisation's coordinator may withdraw its consent: take it out of a program (refused
# while it has work under way there; see programs.services.remove_organization).
rules.add_perm("organizations.leave_program", coordinates_org_of)
