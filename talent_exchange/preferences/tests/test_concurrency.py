"""Two changes to the same list at the same moment (real concurrent transactions, on SQLite
and PostgreSQL): the owner's row is locked, so they apply one after the other and the ranks
stay 1..n. The threads and the file-backed SQLite copy come from the match-run tests."""

from __future__ import annotations

from datetime import date

import pytest

from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.preferences.services import change_participant_ranking
from tests.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = date(2026, 11, 20)


def _stored(nomination_id):
    return list(
        ParticipantRanking.objects.filter(nomination_id=nomination_id)
        .order_by("rank")
        .values_list("opportunity_id", "rank")
    )


def test_two_adds_at_once_both_land_with_contiguous_ranks(market, concurrent_db):
    m, actor = market, market.world.users["participant"]
    outcomes = race(
        lambda: change_participant_ranking(m.nom_a, "add", m.opp_b1.pk, actor=actor, today=TODAY),
        lambda: change_participant_ranking(m.nom_a, "add", m.opp_b2.pk, actor=actor, today=TODAY),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    stored = concurrent_db(lambda: _stored(m.nom_a.pk))
    assert sorted(opp for opp, _ in stored) == sorted([m.opp_b1.pk, m.opp_b2.pk])
    assert [rank for _, rank in stored] == [1, 2]


def test_the_same_add_twice_at_once_has_one_winner(market, concurrent_db):
    m, actor = market, market.world.users["participant"]
    outcomes = race(
        *[
            lambda: change_participant_ranking(
                m.nom_a, "add", m.opp_county.pk, actor=actor, today=TODAY
            )
        ]
        * 2
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert "already on your list" in next(msg for kind, msg in outcomes if kind == "refused")
    assert concurrent_db(lambda: _stored(m.nom_a.pk)) == [(m.opp_county.pk, 1)]
