"""Who may do what to an organisation."""

import rules
from django.apps import apps

from talent_exchange.accounts.roles import invited_org_ids
from talent_exchange.core.predicates import (
    administers_org_of,
    coordinates_org_of,
    has_any_role,
    is_any_program_admin,
    is_superuser,
)


@rules.predicate
def sets_up_invited_org(user, obj) -> bool:
    """The organisation has an invitation waiting from a program this user administers and
    nobody coordinates it yet: the administrator sets it up (its details, its components)
    until someone there answers for it, as they appoint its first coordinator
    (accounts/rules.py)."""
    org_id = getattr(obj, "organization_id", None) if obj is not None else None
    if org_id is None or org_id not in invited_org_ids(user):
        return False
    from talent_exchange.accounts.models import Role

    grants = apps.get_model("accounts", "RoleGrant").objects.active()
    return not grants.filter(role=Role.COORDINATOR, organization_id=org_id).exists()


rules.add_perm("organizations.list_organizations", has_any_role)
rules.add_perm("organizations.view_organization", has_any_role)
# A program administrator adds the organisations (and their components) of their programs;
# an organisation's own coordinator keeps its details.
rules.add_perm("organizations.add_organization", is_superuser | is_any_program_admin)
rules.add_perm(
    "organizations.change_organization",
    is_superuser | administers_org_of | coordinates_org_of | sets_up_invited_org,
)
rules.add_perm("organizations.delete_organization", is_superuser)
# An organisation's coordinator may withdraw its consent: take it out of a program (refused
# while it has work under way there; see programs.services.remove_organization).
rules.add_perm("organizations.leave_program", coordinates_org_of)
