import pytest

from tests.factories import OrganizationFactory, UserFactory, grant


@pytest.fixture
def money_world(world):
    """The world plus City of Charlie (sends, hosts nobody), a treasurer of the program and
    finance officers of City A and City B."""
    city_c = OrganizationFactory(name="City of Charlie")
    world.program.participating_organizations.add(city_c)
    world.city_c = city_c
    for name, role, scope in (
        ("treasurer", "treasurer", {"program": world.program}),
        ("finance_a", "finance_officer", {"organization": world.city_a}),
        ("finance_b", "finance_officer", {"organization": world.city_b}),
        (
            "finance_county",
            "finance_officer",
            {"organization": world.program.administering_organization},
        ),
    ):
        user = UserFactory(username=name)
        grant(user, role, **scope)
        world.users[name] = user
    return world
