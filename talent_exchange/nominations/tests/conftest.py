import pytest

from tests.factories import PersonFactory, UserFactory

from .factories import EndorsementStepFactory


@pytest.fixture
def chain(world):
    """The program's chain: 1 Supervisor, 2 Department head; the cycle takes nominations."""
    world.cycle.state = "nominations"
    world.cycle.save()
    head = UserFactory(username="head", email="head@example.org")
    return {
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
