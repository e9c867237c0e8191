"""``roles_of``: one statement (accounts/roles.py) gives what the ORM gives, query by query."""

from __future__ import annotations

import pytest
from django.utils import timezone

from talent_exchange.accounts.models import Role, RoleGrant
from talent_exchange.accounts.roles import UserRoles, forget_roles, roles_of
from talent_exchange.people.models import Person
from talent_exchange.programs.models import Program
from tests.factories import OrganizationFactory, ProgramFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def _from_the_orm(user) -> UserRoles:
    """The roles read with the ORM, one query per part (the former way)."""
    grants = list(RoleGrant.objects.for_user(user))
    person = Person.objects.filter(user=user).first()

    def scoped(role: str) -> frozenset[int]:
        return frozenset(
            g.program_id or g.organization_id or g.cycle_id
            for g in grants
            if g.role == role and (g.program_id or g.organization_id or g.cycle_id)
        )

    def orgs_of(program_ids: frozenset[int]) -> frozenset[int]:
        by_program = Program.organization_ids_by_program(program_ids)
        return frozenset(oid for ids in by_program.values() for oid in ids)

    held = {g.role for g in grants}
    return UserRoles(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        is_auditor=Role.AUDITOR in held,
        is_participant=Role.PARTICIPANT in held and person is not None,
        person_id=person.pk if person else None,
        person_organization_id=person.organization_id if person else None,
        admin_program_ids=scoped(Role.PROGRAM_ADMIN),
        board_program_ids=scoped(Role.BOARD_REVIEWER),
        coordinator_org_ids=scoped(Role.COORDINATOR),
        supervisor_org_ids=scoped(Role.SUPERVISOR),
        panelist_cycle_ids=scoped(Role.PANELIST),
        admin_org_ids=orgs_of(scoped(Role.PROGRAM_ADMIN)),
        board_org_ids=orgs_of(scoped(Role.BOARD_REVIEWER)),
        finance_org_ids=scoped(Role.FINANCE_OFFICER),
        treasurer_program_ids=scoped(Role.TREASURER),
    )


def test_one_statement_reads_what_the_orm_reads_for_every_role(world):
    # A second program that the administrator also runs, and a revoked grant that must not count.
    other = OrganizationFactory(name="Epsilon Agency")
    second = ProgramFactory(
        name="Second exchange", administering_organization=other, organizations=[world.city_b]
    )
    grant(world.users["admin"], "program_admin", program=second)
    revoked = grant(world.users["coord_a"], "coordinator", organization=other)
    RoleGrant.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    lonely = UserFactory(username="no-grant-no-profile")
    for user in [*world.users.values(), lonely]:
        forget_roles(user)
        assert roles_of(user) == _from_the_orm(user), user.username
    admin = roles_of(world.users["admin"])
    assert admin.admin_org_ids == {world.city_a.pk, world.city_b.pk, other.pk} | {
        world.program.administering_organization_id
    }
    assert roles_of(world.users["coord_a"]).coordinator_org_ids == {world.city_a.pk}
    assert roles_of(lonely) == UserRoles(user_id=lonely.pk)


def test_roles_cost_one_query_and_are_kept_for_the_request(world, django_assert_num_queries):
    user = world.users["admin"]
    forget_roles(user)
    with django_assert_num_queries(1):
        roles_of(user)
        roles_of(user)
