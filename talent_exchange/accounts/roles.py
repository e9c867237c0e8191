"""What a user may act on: their role grants, resolved once per request.

Every permission predicate (``*/rules.py``) and every scoped QuerySet (``visible_to``) reads
the same ``UserRoles``; it is computed with one statement and cached on the user object, so a
page that checks many rows does not grow a query per row.

This module imports no domain app (the domain apps' models import it); it reads the talent
profile and the programs through ``apps.get_model``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection

from .models import Role, RoleGrant

_CACHE_ATTR = "_talent_exchange_roles"
_INVITED_ATTR = "_talent_exchange_invited_org_ids"


@dataclass(frozen=True)
class UserRoles:
    user_id: int | None = None
    is_superuser: bool = False
    is_auditor: bool = False
    is_participant: bool = False
    person_id: int | None = None
    person_organization_id: int | None = None
    admin_program_ids: frozenset[int] = field(default_factory=frozenset)
    board_program_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator_org_ids: frozenset[int] = field(default_factory=frozenset)
    supervisor_org_ids: frozenset[int] = field(default_factory=frozenset)
    panelist_cycle_ids: frozenset[int] = field(default_factory=frozenset)
    # organisations taking part in (or administering) the programs this user administers
    admin_org_ids: frozenset[int] = field(default_factory=frozenset)
    # organisations taking part in the programs this user reviews as a board member
    board_org_ids: frozenset[int] = field(default_factory=frozenset)
    # finance (issue 13): the organisations whose invoices this user keeps, the programs
    # whose money this user looks after
    finance_org_ids: frozenset[int] = field(default_factory=frozenset)
    treasurer_program_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def any_role(self) -> bool:
        return bool(
            self.is_superuser
            or self.is_auditor
            or self.is_participant
            or self.admin_program_ids
            or self.board_program_ids
            or self.coordinator_org_ids
            or self.supervisor_org_ids
            or self.panelist_cycle_ids
            or self.finance_org_ids
            or self.treasurer_program_ids
        )

    @property
    def is_program_admin(self) -> bool:
        return bool(self.admin_program_ids)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_org_ids)

    def labels(self) -> list[str]:
        """The role names to show in the header, in a fixed order."""
        held = [
            (Role.PROGRAM_ADMIN, self.is_program_admin),
            (Role.COORDINATOR, self.is_coordinator),
            (Role.SUPERVISOR, bool(self.supervisor_org_ids)),
            (Role.PANELIST, bool(self.panelist_cycle_ids)),
            (Role.BOARD_REVIEWER, bool(self.board_program_ids)),
            (Role.PARTICIPANT, self.is_participant),
            (Role.AUDITOR, self.is_auditor),
            (Role.FINANCE_OFFICER, bool(self.finance_org_ids)),
            (Role.TREASURER, bool(self.treasurer_program_ids)),
        ]
        return [str(role.label) for role, has in held if has]


ANONYMOUS = UserRoles()


def roles_of(user) -> UserRoles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = _load(user)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after a grant changes during a request or a test)."""
    for attr in (_CACHE_ATTR, _INVITED_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def invited_org_ids(user) -> frozenset[int]:
    """Organisations with an invitation waiting from a program this user administers: its
    administrator appoints their first coordinator, who then answers. One query (none for
    someone who administers nothing), kept on the user for the request."""
    cached = getattr(user, _INVITED_ATTR, None)
    if cached is not None:
        return cached
    roles = roles_of(user)
    found: frozenset[int] = frozenset()
    if roles.admin_program_ids:
        invitation = apps.get_model("programs", "ProgramInvitation")
        found = frozenset(
            invitation.objects.pending()
            .filter(program_id__in=roles.admin_program_ids)
            .values_list("organization_id", flat=True)
        )
    setattr(user, _INVITED_ATTR, found)
    return found


# Markers of the rows of _ROLES_SQL that are not role grants (no role has these names).
_PERSON_ROW = "~person"
_PROGRAM_ORG_ROW = "~program_org"


@functools.cache
def _roles_sql() -> str:
    """One statement for everything ``UserRoles`` holds: the active grants, the talent
    profile, and the organisations of the programs the user administers or reviews.

    Every signed-in request runs it, so it is one round trip written once per process,
    instead of four ORM queries compiled on every request (about a quarter of a simple page's
    CPU, profiled with bench/profile_page.py). The names come from the models; "active"
    is ``RoleGrantQuerySet.active`` (not revoked), and test_roles.py checks the statement
    against the ORM's answers."""
    # By name, not by import: people's and programs' models import this module (their
    # ``visible_to`` read ``roles_of``), so importing them here would close a circle.
    Person = apps.get_model("people", "Person")
    Program = apps.get_model("programs", "Program")
    participating = Program.participating_organizations.through
    grant, person = RoleGrant._meta, Person._meta
    program, taking_part = Program._meta, participating._meta

    quote = connection.ops.quote_name

    def col(meta, name: str) -> str:
        return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

    def table(meta) -> str:
        return quote(meta.db_table)

    grants_of_user = (
        f"FROM {table(grant)} WHERE {col(grant, 'user')} = %(user)s "
        f"AND {col(grant, 'revoked_at')} IS NULL"
    )
    programs_of_user = (
        f"SELECT {col(grant, 'program')} {grants_of_user} "
        f"AND {col(grant, 'role')} IN ('{Role.PROGRAM_ADMIN}', '{Role.BOARD_REVIEWER}')"
    )
    # Table and column names come from the models, the markers and roles are constants, and
    # the one value (the user's id) is a parameter.
    return " UNION ALL ".join(
        [
            f"SELECT {col(grant, 'role')}, {col(grant, 'program')}, "
            f"{col(grant, 'organization')}, {col(grant, 'cycle')} {grants_of_user}",
            f"SELECT '{_PERSON_ROW}', {col(person, 'id')}, "  # noqa: S608
            f"{col(person, 'organization')}, NULL "
            f"FROM {table(person)} WHERE {col(person, 'user')} = %(user)s",
            f"SELECT '{_PROGRAM_ORG_ROW}', {col(taking_part, 'program')}, "  # noqa: S608
            f"{col(taking_part, 'organization')}, NULL FROM {table(taking_part)} "
            f"WHERE {col(taking_part, 'program')} IN ({programs_of_user})",
            f"SELECT '{_PROGRAM_ORG_ROW}', {col(program, 'id')}, "  # noqa: S608
            f"{col(program, 'administering_organization')}, NULL FROM {table(program)} "
            f"WHERE {col(program, 'id')} IN ({programs_of_user})",
        ]
    )


def _load(user) -> UserRoles:
    by_role: dict[str, set[int]] = {role.value: set() for role in Role}
    flags: set[str] = set()
    person: tuple[int, int] | None = None
    org_ids_by_program: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), {"user": user.pk})
        rows = cursor.fetchall()
    for kind, first, second, third in rows:
        if kind == _PERSON_ROW:
            person = (first, second)
        elif kind == _PROGRAM_ORG_ROW:
            org_ids_by_program.setdefault(first, set()).add(second)
        else:
            flags.add(kind)
            scope_id = first or second or third
            if scope_id:
                by_role[kind].add(scope_id)

    def orgs_of(programs: set[int]) -> frozenset[int]:
        return frozenset(oid for pid in programs for oid in org_ids_by_program.get(pid, ()))

    return UserRoles(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        is_auditor=Role.AUDITOR in flags,
        is_participant=Role.PARTICIPANT in flags and person is not None,
        person_id=person[0] if person else None,
        person_organization_id=person[1] if person else None,
        admin_program_ids=frozenset(by_role[Role.PROGRAM_ADMIN]),
        board_program_ids=frozenset(by_role[Role.BOARD_REVIEWER]),
        coordinator_org_ids=frozenset(by_role[Role.COORDINATOR]),
        supervisor_org_ids=frozenset(by_role[Role.SUPERVISOR]),
        panelist_cycle_ids=frozenset(by_role[Role.PANELIST]),
        admin_org_ids=orgs_of(by_role[Role.PROGRAM_ADMIN]),
        board_org_ids=orgs_of(by_role[Role.BOARD_REVIEWER]),
        finance_org_ids=frozenset(by_role[Role.FINANCE_OFFICER]),
        treasurer_program_ids=frozenset(by_role[Role.TREASURER]),
    )
