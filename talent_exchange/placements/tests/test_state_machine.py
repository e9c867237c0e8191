"""Property: whatever sequence of actions people try, a placement only ever moves along the
allowed edges, every move leaves one transition row chained to the previous one, and a
refusal changes nothing."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.placements import services
from talent_exchange.placements.models import Placement, allowed_transitions

from .conftest import sign_all

pytestmark = pytest.mark.django_db

START = date(2027, 2, 1)
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["sign", "activate", "extend", "end_early", "return", "close", "terms"]),
        st.integers(min_value=-30, max_value=200),  # a day relative to the start
        st.booleans(),  # override / with a reason
    ),
    max_size=8,
)


def _apply(placement, world, action, offset, flag):
    admin = world.users["admin"]
    day = START + timedelta(days=offset)
    if action == "sign":
        sign_all(placement, world)
    elif action == "terms":
        services.update_terms(placement, admin, return_service_months=6 + offset % 12)
    elif action == "activate":
        services.activate_placement(placement, admin, today=day)
    elif action == "extend":
        services.extend_placement(placement, admin, day, override=flag)
    elif action == "end_early":
        services.end_placement_early(placement, admin, day, "Reorganised." if flag else "")
    elif action == "return":
        services.record_return(placement, admin, day, "Analyst")
    elif action == "close":
        services.close_placement(placement, admin)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_placements_only_move_along_allowed_edges(world, placement, actions):
    with transaction.atomic():
        for action, offset, flag in actions:
            before = Placement.objects.get(pk=placement.pk)
            try:
                with transaction.atomic():
                    _apply(before, world, action, offset, flag)
            except ActionRefused as refused:
                assert refused.message  # a sentence for a person
                after = Placement.objects.get(pk=placement.pk)
                assert (after.status, after.end_date) == (before.status, before.end_date)
                continue
            after = Placement.objects.get(pk=placement.pk)
            if after.status != before.status or action == "extend":
                assert after.status in allowed_transitions(before.status)
        states = ["agreement"] + [t.to_state for t in placement.transitions.all()]
        for t, previous in zip(placement.transitions.all(), states, strict=False):
            assert t.from_state == previous
            assert t.to_state in allowed_transitions(previous)
        final = Placement.objects.get(pk=placement.pk)
        assert final.status == states[-1]
        assert final.end_date >= final.start_date
        if final.status != "agreement":
            assert final.agreement.is_frozen
        transaction.set_rollback(True)
