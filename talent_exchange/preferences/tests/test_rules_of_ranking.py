"""Pure rules: rank points, moves on a list, and the deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.preferences.deadlines import (
    ADMIN_PHASES,
    HOST,
    OPEN_PHASES,
    PARTICIPANT,
    may_change_ranking,
    ranking_window,
)
from talent_exchange.preferences.points import rank_points
from talent_exchange.preferences.ranking import apply_move
from talent_exchange.programs.models import PHASE_ORDER


def test_rank_points_examples():
    assert rank_points(1, 1) == 100
    assert rank_points(1, 4) == 100
    assert rank_points(2, 4) == 75
    assert rank_points(4, 4) == 25
    assert rank_points(3, 3) == pytest.approx(100 / 3)


@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n))))
def test_rank_points_fall_with_rank_and_stay_in_range(case):
    n, rank = case
    points = rank_points(rank, n)
    assert 0 < points <= 100
    if rank > 1:
        assert rank_points(rank - 1, n) > points
    assert rank_points(1, n) == 100


@pytest.mark.parametrize(("rank", "n"), [(0, 3), (4, 3), (1, 0), (-1, 2)])
def test_rank_points_refuse_a_rank_off_the_list(rank, n):
    with pytest.raises(ValueError):
        rank_points(rank, n)


moves = st.lists(
    st.tuples(st.sampled_from(["add", "up", "down", "remove", "top"]), st.integers(1, 8))
)


@given(moves)
def test_any_sequence_of_moves_keeps_a_list_without_repeats(sequence):
    ranked: list[int] = []
    for action, item in sequence:
        before = list(ranked)
        try:
            ranked = apply_move(ranked, action, item)
        except ActionRefused:
            assert ranked == before  # a refused move changes nothing
            continue
        assert len(ranked) == len(set(ranked))  # no choice twice; ranks are positions 1..n
        assert sorted(ranked) == sorted(
            [*before, item]
            if action == "add"
            else ([x for x in before if x != item] if action == "remove" else before)
        )


def test_moves_examples():
    assert apply_move([1, 2, 3], "up", 3) == [1, 3, 2]
    assert apply_move([1, 2, 3], "down", 1) == [2, 1, 3]
    assert apply_move([1, 2, 3], "top", 3) == [3, 1, 2]
    assert apply_move([1, 2, 3], "remove", 2) == [1, 3]
    assert apply_move([1, 2], "add", 5) == [1, 2, 5]
    for action, item in [("up", 1), ("down", 3), ("add", 2), ("remove", 9), ("jump", 1)]:
        with pytest.raises(ActionRefused):
            apply_move([1, 2, 3], action, item)


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@given(
    kind=st.sampled_from([PARTICIPANT, HOST]),
    state=st.sampled_from(PHASE_ORDER),
    closes_on=st.none() | days,
    today=days,
    admin=st.booleans(),
)
def test_deadline_rule(kind, state, closes_on, today, admin):
    decision = may_change_ranking(
        kind, cycle_state=state, closes_on=closes_on, today=today, by_administrator=admin
    )
    in_window = state in OPEN_PHASES and (closes_on is None or today <= closes_on)
    if in_window:
        assert decision.allowed and not decision.late
    elif admin and state in ADMIN_PHASES:
        assert decision.allowed and decision.late and decision.message
    else:
        assert not decision.allowed and decision.message
    window = ranking_window(kind, cycle_state=state, closes_on=closes_on, today=today)
    assert window.is_open == in_window
    if closes_on:
        assert window.days_left == (closes_on - today).days


def test_deadline_day_itself_is_still_open():
    closes = date(2026, 12, 5)
    assert may_change_ranking(
        PARTICIPANT,
        cycle_state="preferences",
        closes_on=closes,
        today=closes,
        by_administrator=False,
    ).allowed
    late = may_change_ranking(
        PARTICIPANT,
        cycle_state="preferences",
        closes_on=closes,
        today=closes + timedelta(days=1),
        by_administrator=False,
    )
    assert not late.allowed
    assert "5 Dec 2026" in late.message
