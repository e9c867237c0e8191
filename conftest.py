"""Fixtures shared by every test: a small world of two cities in one program, a user for
each role, and the demo data seeded once per session."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests import shared_world
from tests.concurrency import concurrent_db  # noqa: F401  (a fixture for every app's tests)
from tests.demo import _demo_seeded_once, seeded_demo  # noqa: F401  (the demo, seeded once)
from tests.factories import (
    CycleFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    grant,
)
from tests.ordering import pytest_collection_modifyitems  # noqa: F401  (xdist groups)
from tests.ordering import pytest_configure as register_order
from tests.translations import compile_stale

# Property tests: no per-example deadline (a shared 2-core machine is noisy), and in the suite
# derandomised (the same examples every run, so a failure is reproducible and the suite's
# time steady). `HYPOTHESIS_PROFILE=explore` draws new examples, more of them where a test
# does not set its own number.
hypothesis_settings.register_profile("suite", deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_configure(config) -> None:
    register_order(config)  # tests/ordering.py: browser first, the demo's readers last
    compile_stale("fr")  # `make install` compiles the catalogues; a bare `pytest` run too


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_use_migrations
) -> None:
    """Runs just before pytest-django creates the test database: on SQLite in memory, the
    database comes migrated from a kept copy when the migrations have not changed
    (tests/template_db.py)."""
    if django_db_use_migrations:
        from tests import template_db

        template_db.install()


@dataclass
class World:
    program: object
    cycle: object
    city_a: object
    city_b: object
    outsider_org: object
    person_a: object
    person_b: object
    outsider: object
    users: dict


@pytest.fixture(autouse=True)
def _force_login_is_a_finished_sign_in(monkeypatch):
    """``Client.force_login`` skips signing in altogether, so it stands for a finished sign-in,
    second factor included (accounts/two_factor.py). The tests of the two-factor rule sign
    in through the real pages instead."""
    from django.test import Client

    from talent_exchange.accounts.two_factor import SATISFIED, SESSION_KEY

    force_login = Client.force_login

    def signed_in_with_both_factors(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        session[SESSION_KEY] = SATISFIED
        session.save()

    monkeypatch.setattr(Client, "force_login", signed_in_with_both_factors)


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """Each test starts with an empty cache: a test database rolled back can give the next
    test's rows the same ids (SQLite), and an entry kept under them would answer for them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page asked for in French leaves French active in the thread (LocaleMiddleware does
    not switch back); the next test starts in the default language again."""
    yield
    translation.deactivate()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    shared_world.before_setup(item)  # keep the module's world, or roll it back first


@pytest.fixture(scope="module")
def _world_rows(request, django_db_setup, django_db_blocker):
    """The world's rows, built once for a module's tests (tests/shared_world.py)."""
    yield from shared_world.for_module(request.module.__name__, django_db_blocker, build_world)


@pytest.fixture
def world(_world_rows, db) -> World:
    """The world: shared rows, each test with its own copy of the objects; a transactional
    test (or a reader of the demo) builds its own."""
    return _world_rows.copy() if _world_rows.is_open else build_world()


def build_world() -> World:
    """The world's rows (for fixtures of a wider scope than a test; ``world`` is the usual way)."""
    city_a = OrganizationFactory(name="City of Alpha")
    city_b = OrganizationFactory(name="City of Beta")
    county = OrganizationFactory(name="Gamma County", kind="county")
    outsider_org = OrganizationFactory(name="Delta Ministry", kind="ministry")
    program = ProgramFactory(
        name="Bay Exchange", administering_organization=county, organizations=[city_a, city_b]
    )
    cycle = CycleFactory(program=program, name="2027")
    users = {
        name: UserFactory(username=name)
        for name in (
            "admin",
            "coord_a",
            "coord_b",
            "supervisor",
            "participant",
            "panelist",
            "board",
            "auditor",
            "nobody",
        )
    }
    supervisor_person = PersonFactory(
        organization=city_a, user=users["supervisor"], first_name="Sam", last_name="Super"
    )
    person_a = PersonFactory(
        organization=city_a,
        user=users["participant"],
        supervisor=supervisor_person,
        first_name="Ada",
        last_name="Alpha",
    )
    person_b = PersonFactory(organization=city_b, first_name="Bea", last_name="Beta")
    outsider = PersonFactory(organization=outsider_org, first_name="Olu", last_name="Outlander")
    grant(users["admin"], "program_admin", program=program)
    grant(users["coord_a"], "coordinator", organization=city_a)
    grant(users["coord_b"], "coordinator", organization=city_b)
    grant(users["supervisor"], "supervisor", organization=city_a)
    grant(users["participant"], "participant")
    grant(users["panelist"], "panelist", cycle=cycle)
    grant(users["board"], "board_reviewer", program=program)
    grant(users["auditor"], "auditor")
    users["admin"].is_staff = True
    users["admin"].save()
    users["auditor"].is_staff = True
    users["auditor"].save()
    return World(program, cycle, city_a, city_b, outsider_org, person_a, person_b, outsider, users)


@pytest.fixture
def client_for(client):
    """Log the test client in as one of the world's users."""

    def login(user):
        client.force_login(user)
        return client

    return login
