"""Two people acting on the same thing at once: exactly one winner, a clear message for the
other. Real concurrent transactions: each actor is a thread with its own database connection,
and both start at the same moment (a barrier).

PostgreSQL: the two transactions overlap; ``select_for_update`` on the row they race for makes
the second wait until the first commits, and it then reads the new state and is refused.

SQLite: FOR UPDATE does not exist; every write transaction begins IMMEDIATE (our settings), so
the second waits (busy timeout) for the one write lock before reading anything: the same
serialisation. The suite's SQLite test database lives *in memory with a shared cache*, where a
second writer does not wait but fails at once with "database table is locked" (shared-cache
locks ignore the busy timeout) — no real concurrency there. So on SQLite these tests copy the
test database into a file (sqlite3's backup API, milliseconds) and point the threads' new
connections at it: genuinely concurrent connections with the production settings (WAL,
IMMEDIATE, timeout). The main thread's in-memory database is left alone and flushed after.
"""

from __future__ import annotations

import pytest

from talent_exchange.matches import services
from talent_exchange.matches.models import MatchRun, Offer, OfferStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from tests.concurrency import race

from .factories import finished_run, offer, small_market

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_critical_sections(monkeypatch):
    """Hold each action inside its transaction for a moment, after it has read what it
    decides on: without the row locks, both would read "a place is free" / "nothing is
    published yet" and both would win."""
    import time

    def slowly(function):
        def wrapper(*args, **kwargs):
            time.sleep(0.3)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(services, "_check_open", slowly(services._check_open))
    monkeypatch.setattr(services, "_reserve_round", slowly(services._reserve_round))


@pytest.fixture
def accept_race(world):
    m = small_market(world)
    admin = world.users["admin"]
    round1 = finished_run(m.cycle, admin, result={})
    round2 = finished_run(m.cycle, admin, result={}, round=2)
    from talent_exchange.people.models import Person

    rival_person = Person.objects.create(
        first_name="Lee", last_name="Late", work_email="lee@example.org",
        organization=world.city_b, user=world.users["nobody"],
    )  # fmt: skip
    rival = NominationFactory(cycle=m.cycle, person=rival_person)
    # A's one place was offered twice (round 1 to Cy, round 2 to Lee while Cy was silent).
    first = offer(round1, m.cy, m.at_a)
    m.cy.person.user = world.users["coord_b"]
    m.cy.person.save()
    second = offer(round2, rival, m.at_a)
    return m, first, second


def test_two_accepts_of_the_last_place_leave_one_winner(
    world, accept_race, concurrent_db, slow_critical_sections
):
    m, first, second = accept_race
    outcomes = race(
        lambda: services.accept_offer(first, actor=world.users["coord_b"]),
        lambda: services.accept_offer(second, actor=world.users["nobody"]),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    message = next(text for kind, text in outcomes if kind == "refused")
    assert "last place" in message
    accepted = concurrent_db(
        lambda: Offer.objects.filter(opportunity=m.at_a, status=OfferStatus.ACCEPTED).count()
    )
    assert accepted == 1


@pytest.fixture
def publish_race(world):
    m = small_market(world)
    admin = world.users["admin"]
    second_admin = world.users["board"]
    from tests.factories import grant

    grant(second_admin, "program_admin", program=world.program)
    result = {"assignments": [
        {"participant": f"n{m.ada.pk}", "slot": f"o{m.at_b.pk}"},
    ]}  # fmt: skip
    one = finished_run(m.cycle, admin, result=result)
    two = finished_run(m.cycle, admin, result=result, mode="optimal")
    return one, two, admin, second_admin


def test_two_administrators_publishing_at_once_leave_one_winner(
    publish_race, concurrent_db, slow_critical_sections
):
    one, two, admin, second_admin = publish_race
    outcomes = race(
        lambda: services.publish_run(one, actor=admin),
        lambda: services.publish_run(two, actor=second_admin),
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    message = next(text for kind, text in outcomes if kind == "refused")
    assert "already published" in message
    assert concurrent_db(lambda: MatchRun.objects.published().count()) == 1
    assert concurrent_db(lambda: Offer.objects.count()) == 1
