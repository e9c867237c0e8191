"""The waitlist: never more confirmed than the capacity, and places freed go to the waitlist
in order — as a hypothesis property against a plain model of the rules, and with two
answers racing for the last place on real concurrent transactions."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.learning import services
from talent_exchange.learning.models import Invitation
from talent_exchange.learning.tests.factories import InvitationFactory, SessionFactory
from tests.concurrency import race
from tests.factories import PersonFactory, UserFactory

ANSWERS = st.sampled_from(["yes", "yes", "no", "maybe"])


def _guests(session, n):
    users = []
    for _ in range(n):
        user = UserFactory()
        InvitationFactory(session=session, person=PersonFactory(user=user))
        users.append(user)
    return users


class Model:
    """The rules, written plainly: a yes takes a free place or joins the end of the line; a
    confirmed person who leaves frees a place for the first in line."""

    def __init__(self, capacity):
        self.capacity, self.confirmed, self.line = capacity, set(), []

    def answer(self, who, answer):
        if answer == "yes":
            if who in self.confirmed or who in self.line:
                return
            if len(self.confirmed) < self.capacity:
                self.confirmed.add(who)
            else:
                self.line.append(who)
            return
        left = who in self.confirmed
        self.confirmed.discard(who)
        if who in self.line:
            self.line.remove(who)
        while left and self.line and len(self.confirmed) < self.capacity:
            self.confirmed.add(self.line.pop(0))


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacity=st.integers(min_value=1, max_value=3),
    steps=st.lists(st.tuples(st.integers(0, 4), ANSWERS), max_size=14),
)
def test_never_more_confirmed_than_capacity_and_promotion_in_order(capacity, steps):
    session = SessionFactory(capacity=capacity)
    users = _guests(session, 5)
    model = Model(capacity)
    for who, answer in steps:
        services.respond(session, answer, actor=users[who])
        model.answer(who, answer)
        rows = {i.person.user_id: i for i in Invitation.objects.filter(session=session)}
        confirmed = {n for n, u in enumerate(users) if rows[u.pk].is_confirmed}
        line = sorted(
            (rows[u.pk].waitlist_position, n)
            for n, u in enumerate(users)
            if rows[u.pk].is_waitlisted
        )
        assert len(confirmed) <= capacity
        assert confirmed == model.confirmed
        assert [n for _p, n in line] == model.line
        assert [p for p, _n in line] == list(range(1, len(line) + 1))


@pytest.fixture
def slow_count(monkeypatch):
    """Hold each answer a moment after it counted the places taken: without the lock on the
    session both would see a free place and both would take it."""
    original = services._confirmed_count

    def slowly(session):
        found = original(session)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "_confirmed_count", slowly)


@pytest.fixture
def last_place(transactional_db):
    session = SessionFactory(capacity=1)
    return session, *_guests(session, 2)


@pytest.mark.django_db(transaction=True)
def test_two_yeses_racing_for_the_last_place(last_place, concurrent_db, slow_count):
    session, first, second = last_place
    outcomes = race(
        lambda: services.respond(session, "yes", actor=first).is_confirmed,
        lambda: services.respond(session, "yes", actor=second).is_confirmed,
    )
    assert sorted(result for _kind, result in outcomes) == [False, True], outcomes
    confirmed = concurrent_db(
        lambda: Invitation.objects.filter(session=session).confirmed().count()
    )
    assert confirmed == 1
