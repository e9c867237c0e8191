import pytest

from tests.factories import PersonFactory, UserFactory

from .factories import EndorsementStepFactory


@pytest.fixture
def chain(world):
    """The program's chain: 1 Supervisor, 2 Department head, each signed by someone of the
    nominee's organisation (City A's or City B's people); the cycle takes nominations."""
    world.cycle.state = "nominations"
    world.cycle.save()
    head = PersonFactory(
        organization=world.city_a,
        user=UserFactory(username="head", email="head@example.org"),
        first_name="Hana",
        last_name="Head",
    ).user
    city_b_people = {
        name: PersonFactory(
            organization=world.city_b, user=UserFactory(username=name, email=f"{name}@example.org")
        ).user
        for name in ("supervisor_b", "head_b")
    }
    return {
        **city_b_people,
        "steps": [
            EndorsementStepFactory(program=world.program, order=1, title="Supervisor"),
            EndorsementStepFactory(program=world.program, order=2, title="Department head"),
        ],
        "supervisor": world.users["supervisor"],
        "head": head,
    }


@pytest.fixture
def nominee(world):
    """An eligible employee of City A with a user account."""
    return PersonFactory(
        organization=world.city_a,
        user=UserFactory(username="nia"),
        first_name="Nia",
        last_name="Nominee",
        work_email="nia@example.org",
    )
