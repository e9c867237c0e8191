"""Users and role grants for tests (the one place that builds them)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from talent_exchange.accounts.models import Role, RoleGrant, User
from talent_exchange.accounts.roles import forget_roles


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


def grant(user: User, role: str, **scope) -> RoleGrant:
    row = RoleGrant.objects.create(user=user, role=Role(role), **scope)
    forget_roles(user)
    return row


# Every role, for property tests that draw (role, index) pairs.
ROLE_NAMES = (
    "program_admin",
    "coordinator",
    "supervisor",
    "panelist",
    "board_reviewer",
    "participant",
    "auditor",
)


def grant_by_index(user: User, role: str, index: int, *, programs, organizations, cycles):
    """Grant ``role`` in the scope it needs: the index-th program, organisation or cycle
    (modulo how many there are); roles held everywhere take no scope."""
    scope = {
        "program_admin": {"program": programs[index % len(programs)]},
        "board_reviewer": {"program": programs[index % len(programs)]},
        "coordinator": {"organization": organizations[index % len(organizations)]},
        "supervisor": {"organization": organizations[index % len(organizations)]},
        "panelist": {"cycle": cycles[index % len(cycles)]},
    }.get(role, {})
    return grant(user, role, **scope)
