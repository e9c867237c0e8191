import pytest

from tests.factories import UserFactory, grant

from .factories import placement_in


@pytest.fixture
def coach_user(world):
    """Bea Beta (City B) coaches; give her an account."""
    user = UserFactory(username="coach")
    world.person_b.user = user
    world.person_b.save()
    world.users["coach"] = user
    grant(user, "supervisor", organization=world.city_b)
    return user


@pytest.fixture
def placement(world, coach_user):
    return placement_in(world)


def sign_all(placement, world):
    from talent_exchange.placements.services import sign_agreement

    sign_agreement(placement, world.users["participant"], "participant", ip_address="10.0.0.1")
    sign_agreement(placement, world.users["coord_a"], "home", ip_address="10.0.0.2")
    sign_agreement(placement, world.users["coord_b"], "host", ip_address="10.0.0.3")
    placement.agreement.refresh_from_db()
    return placement
