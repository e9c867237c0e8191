"""Peer circles: sizes within bounds when possible, and no two people of one organisation in
a circle when it can be avoided (grouping.py's method)."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from talent_exchange.learning.grouping import Member, circle_count, form


@given(
    orgs=st.lists(st.integers(min_value=0, max_value=9), min_size=0, max_size=60),
    sizes=st.tuples(st.integers(2, 6), st.integers(0, 4)),
)
def test_circles_mix_organisations_whenever_possible(orgs, sizes):
    min_size, extra = sizes
    max_size = min_size + extra
    members = [Member(i, org) for i, org in enumerate(orgs)]
    circles = form(members, min_size, max_size)
    # everyone exactly once
    placed = [m.key for circle in circles for m in circle]
    assert sorted(placed) == list(range(len(orgs)))
    if not orgs:
        assert circles == []
        return
    lengths = [len(c) for c in circles]
    assert max(lengths) - min(lengths) <= 1
    assert max(lengths) <= max(max_size, math.ceil(len(orgs) / len(circles)))
    largest = max(Counter(orgs).values())
    k = len(circles)
    if largest <= k:
        for circle in circles:
            in_circle = Counter(m.organization for m in circle)
            assert max(in_circle.values()) == 1, "two people of one organisation, avoidably"
    else:
        # unavoidable: more circles would fall below the minimum size
        assert k >= len(orgs) // min_size or k >= math.ceil(len(orgs) / max_size)
        assert k == circle_count(len(orgs), largest, min_size, max_size)


def test_twelve_people_of_four_organisations_in_circles_of_four_to_six():
    members = [Member(i, i % 4) for i in range(12)]
    circles = form(members, 4, 6)
    assert [len(c) for c in circles] == [4, 4, 4]
    for circle in circles:
        assert len({m.organization for m in circle}) == len(circle)
