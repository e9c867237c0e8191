"""Predicates shared by the permission rules of every app (``*/rules.py``).

Each takes ``(user, obj)``; ``obj`` is None when a page asks about a kind of object rather
than one (a list page, the admin's index), and then a predicate answers whether the user
could act on *some* object of that kind — the QuerySet's ``visible_to`` does the scoping.
"""

from __future__ import annotations

import rules

from talent_exchange.accounts.roles import roles_of


@rules.predicate
def has_any_role(user) -> bool:
    return roles_of(user).any_role


@rules.predicate
def is_auditor(user) -> bool:
    return roles_of(user).is_auditor


@rules.predicate
def is_superuser(user) -> bool:
    return roles_of(user).is_superuser


@rules.predicate
def is_any_program_admin(user) -> bool:
    return roles_of(user).is_program_admin


@rules.predicate
def is_any_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


def _org_id(obj) -> int | None:
    """The organisation an object belongs to (an organisation answers its own id)."""
    return getattr(obj, "organization_id", None) if obj is not None else None


@rules.predicate
def administers_org_of(user, obj) -> bool:
    """The object's organisation takes part in a program this user administers."""
    roles = roles_of(user)
    if obj is None:
        return roles.is_program_admin
    return _org_id(obj) in roles.admin_org_ids


@rules.predicate
def coordinates_org_of(user, obj) -> bool:
    """The object belongs to an organisation this user coordinates."""
    roles = roles_of(user)
    if obj is None:
        return roles.is_coordinator
    return _org_id(obj) in roles.coordinator_org_ids


@rules.predicate
def reviews_org_of(user, obj) -> bool:
    """The object's organisation takes part in a program whose board this user sits on."""
    roles = roles_of(user)
    if obj is None:
        return bool(roles.board_program_ids)
    return _org_id(obj) in roles.board_org_ids
