"""Two people acting on the same nomination at once leave exactly one winner and a clear
message for the other, with real concurrent transactions (threads with their own
connections; see matches/tests/test_concurrency.py for how SQLite gets a real file)."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from talent_exchange.nominations import services
from talent_exchange.nominations.models import Endorsement, Nomination
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_lock(monkeypatch):
    """Hold each action for a moment after it has read the state it decides on: without the
    row locks both would read "pending" and both would win."""
    original = services._lock_current

    def slowly(endorsement):
        result = original(endorsement)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(services, "_lock_current", slowly)


@pytest.fixture
def pending(world, chain, nominee):
    nomination = services.nominate(
        nominee, world.cycle, actor=world.users["coord_a"],
        endorsers=[chain["supervisor"], chain["head"]],
    )  # fmt: skip
    mail.outbox.clear()
    return nomination.endorsements.get(order=1)


def test_endorse_and_decline_at_once_leave_one_decision(
    world,
    chain,
    pending,
    concurrent_db,
    slow_lock,
):
    supervisor = chain["supervisor"]
    outcomes = race(
        lambda: services.endorse(pending, actor=supervisor).decision,
        lambda: services.decline(pending, actor=supervisor, reason="Changed my mind").decision,
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    assert "already decided" in next(text for kind, text in outcomes if kind == "refused")
    decision, status = concurrent_db(
        lambda: (
            Endorsement.objects.get(pk=pending.pk).decision,
            Nomination.objects.get(pk=pending.nomination_id).status,
        )
    )
    winner = next(value for kind, value in outcomes if kind == "ok")
    assert decision == winner
    assert status == ("awaiting_endorsement" if winner == "endorsed" else "declined")
    assert len(mail.outbox) == 1  # the next endorser, or the coordinator: never both


def test_withdraw_while_endorsing_leaves_one_winner(
    world,
    chain,
    pending,
    concurrent_db,
    slow_lock,
):
    outcomes = race(
        lambda: services.endorse(pending, actor=chain["supervisor"]).decision,
        lambda: services.withdraw(pending.nomination, actor=world.users["coord_a"]).status,
    )
    assert sorted(kind for kind, _ in outcomes) in (["ok", "ok"], ["ok", "refused"]), outcomes
    status, decision = concurrent_db(
        lambda: (
            Nomination.objects.get(pk=pending.nomination_id).status,
            Endorsement.objects.get(pk=pending.pk).decision,
        )
    )
    # Either the endorsement came first (then the withdrawal) or the withdrawal did, and the
    # endorsement was refused; never an endorsement recorded on a withdrawn nomination after it.
    assert status == "withdrawn"
    refused = [text for kind, text in outcomes if kind == "refused"]
    if refused:
        assert decision == "pending" and "no longer needs endorsement" in refused[0]
    else:
        assert decision == "endorsed"
