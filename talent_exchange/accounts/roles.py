"""What a user may act on: their role grants, resolved once per request.

Every permission predicate (``*/rules.py``) and every scoped QuerySet (``visible_to``) reads
the same ``UserRoles``; it is computed with two queries and cached on the user object, so a
page that checks many rows does not grow a query per row.

This module imports no domain app (the domain apps' models import it); it reads the talent
profile and the programs through ``apps.get_model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

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


def _load(user) -> UserRoles:
    # By name, not by import: people's and programs' models import this module (their
    # ``visible_to`` read ``roles_of``), so importing them here would close a circle.
    Person = apps.get_model("people", "Person")
    Program = apps.get_model("programs", "Program")

    by_role: dict[str, set[int]] = {role.value: set() for role in Role}
    flags: set[str] = set()
    for role, program_id, organization_id, cycle_id in RoleGrant.objects.for_user(user).values_list(
        "role", "program_id", "organization_id", "cycle_id"
    ):
        flags.add(role)
        scope_id = program_id or organization_id or cycle_id
        if scope_id:
            by_role[role].add(scope_id)
    person = Person.objects.filter(user=user).values_list("id", "organization_id").first()
    program_ids = by_role[Role.PROGRAM_ADMIN] | by_role[Role.BOARD_REVIEWER]
    org_ids_by_program = Program.organization_ids_by_program(program_ids) if program_ids else {}

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
