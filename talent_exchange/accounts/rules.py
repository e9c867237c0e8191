"""Who may see, grant and revoke roles.

A role is granted in its scope (``models.ROLE_SCOPE``) and only by someone who answers for
that scope:

- a program's administrator grants and revokes the roles *of the program*: its
  administrators and board reviewers, the panelists of its cycles, and the coordinators and
  supervisors of the organisations that take part in it (or that it has invited and that
  have no one to answer yet);
- an organisation's coordinator grants and revokes the coordinators and supervisors *of that
  organisation*, nowhere else;
- a platform operator (superuser) grants anything, including the roles held everywhere
  (auditor, participant), which nobody else grants.

``may_grant`` is the rule itself, on plain values (a property test draws it); the predicates
below apply it to a ``RoleGrant`` (an unsaved one for a grant being made).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import rules

from talent_exchange.core.predicates import is_auditor, is_superuser

from .models import ROLE_SCOPE, Role
from .roles import UserRoles, invited_org_ids, roles_of


def may_grant(
    roles: UserRoles,
    role: str,
    *,
    program_id: int | None = None,
    organization_id: int | None = None,
    cycle_program_id: int | None = None,
    invited_org_ids: Collection[int] = (),
) -> bool:
    """Whether someone holding ``roles`` may grant (or revoke) ``role`` in this scope: the
    program (program roles), the organisation (organisation roles) or the program of the
    cycle (a panelist). ``invited_org_ids``: organisations with an invitation waiting from
    one of the programs this person administers."""
    if roles.is_superuser:
        return True
    scope = ROLE_SCOPE.get(Role(role)) if role in Role.values else None
    if scope == "program":
        return program_id is not None and program_id in roles.admin_program_ids
    if scope == "cycle":
        return cycle_program_id is not None and cycle_program_id in roles.admin_program_ids
    if scope == "organization":
        return organization_id is not None and (
            organization_id in roles.coordinator_org_ids
            or organization_id in roles.admin_org_ids
            or organization_id in invited_org_ids
        )
    return False  # held everywhere (auditor, participant): a platform operator's grant


def _cycle_program_id(grant: Any) -> int | None:
    if getattr(grant, "cycle_id", None) is None:
        return None
    return grant.cycle.program_id


def _allows(user: Any, grant: Any) -> bool:
    roles = roles_of(user)
    program_id = getattr(grant, "program_id", None)
    organization_id = getattr(grant, "organization_id", None)
    cycle_program_id = _cycle_program_id(grant)

    def rule(invited: frozenset[int] = frozenset()) -> bool:
        return may_grant(
            roles,
            grant.role,
            program_id=program_id,
            organization_id=organization_id,
            cycle_program_id=cycle_program_id,
            invited_org_ids=invited,
        )

    if rule():
        return True
    # The organisations its programs have invited cost a query: asked only when needed.
    return (
        organization_id is not None
        and bool(roles.admin_program_ids)
        and rule(invited_org_ids(user))
    )


@rules.predicate
def may_grant_role(user, grant) -> bool:
    """``grant``: the (unsaved) role grant about to be made; None: could grant some role."""
    roles = roles_of(user)
    if grant is None:
        return roles.is_superuser or roles.is_program_admin or roles.is_coordinator
    return _allows(user, grant)


@rules.predicate
def may_revoke_grant(user, grant) -> bool:
    if grant is None:
        roles = roles_of(user)
        return roles.is_superuser or roles.is_program_admin or roles.is_coordinator
    return grant.revoked_at is None and _allows(user, grant)


@rules.predicate
def administers_program_roles(user, program) -> bool:
    roles = roles_of(user)
    if program is None:
        return roles.is_program_admin
    return program.pk in roles.admin_program_ids


@rules.predicate
def answers_for_organization(user, organization) -> bool:
    """Its coordinators; the administrators of the programs it takes part in or is invited to."""
    roles = roles_of(user)
    if organization is None:
        return roles.is_coordinator or roles.is_program_admin
    pk = organization.pk
    if pk in roles.coordinator_org_ids or pk in roles.admin_org_ids:
        return True
    return bool(roles.admin_program_ids) and pk in invited_org_ids(user)


rules.add_perm("accounts.view_user", is_auditor)
rules.add_perm("accounts.view_rolegrant", is_auditor)
# The Django admin stays the platform operators' back office.
rules.add_perm("accounts.add_rolegrant", is_superuser)
rules.add_perm("accounts.change_rolegrant", is_superuser)
rules.add_perm("accounts.delete_rolegrant", is_superuser)
rules.add_perm("accounts.sign_out", rules.is_authenticated)
# allauth's pages for one's own sign-in settings (two factors, linked providers)
rules.add_perm("accounts.manage_own_account", rules.is_authenticated)
# a platform operator removes a person's second factors (a lost phone), with a reason
rules.add_perm("accounts.reset_factors", is_superuser)
rules.add_perm("accounts.view_factorreset", is_superuser | is_auditor)
# On the site: the people and roles of a program, of an organisation.
rules.add_perm("accounts.view_program_roles", is_superuser | is_auditor | administers_program_roles)
rules.add_perm(
    "accounts.view_organization_roles", is_superuser | is_auditor | answers_for_organization
)
rules.add_perm("accounts.grant_role", may_grant_role)
rules.add_perm("accounts.revoke_rolegrant", may_revoke_grant)
