"""The cycle's state machine: examples and a hypothesis state-machine test."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.programs.models import PHASE_ORDER, CycleTransition, allowed_transitions
from talent_exchange.programs.services import move_cycle
from tests.factories import CycleFactory, UserFactory, grant


@pytest.mark.django_db
def test_a_cycle_walks_through_every_phase(world):
    admin = world.users["admin"]
    for target in PHASE_ORDER[1:]:
        move_cycle(world.cycle, target, actor=admin)
    world.cycle.refresh_from_db()
    assert world.cycle.state == "closed"
    moves = list(
        CycleTransition.objects.filter(cycle=world.cycle).values_list("from_state", "to_state")
    )
    assert moves == list(itertools.pairwise(PHASE_ORDER))
    assert {t.actor for t in CycleTransition.objects.filter(cycle=world.cycle)} == {admin}


@pytest.mark.django_db
def test_skipping_a_phase_is_refused_with_a_clear_message(world):
    with pytest.raises(ActionRefused) as refused:
        move_cycle(world.cycle, "matching", actor=world.users["admin"])
    assert "cannot move to Matching" in refused.value.message
    assert "Nominations" in refused.value.message
    world.cycle.refresh_from_db()
    assert world.cycle.state == "draft"
    assert not CycleTransition.objects.exists()


@pytest.mark.django_db
def test_going_back_needs_a_note(world):
    admin = world.users["admin"]
    move_cycle(world.cycle, "nominations", actor=admin)
    with pytest.raises(ActionRefused, match="note is required"):
        move_cycle(world.cycle, "draft", actor=admin)
    move_cycle(world.cycle, "draft", actor=admin, note="Dates were wrong")
    assert CycleTransition.objects.last().note == "Dates were wrong"


@pytest.mark.django_db
def test_a_closed_cycle_is_final(world):
    world.cycle.state = "closed"
    world.cycle.save()
    with pytest.raises(ActionRefused, match="closed"):
        move_cycle(world.cycle, "placements", actor=world.users["admin"], note="reopen")


@pytest.mark.django_db
def test_only_the_programs_administrator_moves_it(world):
    for role in ("auditor", "coord_a", "panelist", "board", "participant"):
        with pytest.raises(PermissionDenied):
            move_cycle(world.cycle, "nominations", actor=world.users[role])
    world.cycle.refresh_from_db()
    assert world.cycle.state == "draft"


@pytest.mark.django_db
def test_a_stale_copy_cannot_move_the_cycle_twice(world):
    admin = world.users["admin"]
    stale = type(world.cycle).objects.get(pk=world.cycle.pk)
    move_cycle(world.cycle, "nominations", actor=admin)
    with pytest.raises(ActionRefused, match="Someone else moved"):
        move_cycle(stale, "nominations", actor=admin)
    assert CycleTransition.objects.count() == 1


@pytest.mark.django_db
def test_unknown_phase_is_refused(world):
    with pytest.raises(ActionRefused, match="not a phase"):
        move_cycle(world.cycle, "party", actor=world.users["admin"])


def test_transition_table_is_next_or_back_one():
    for i, state in enumerate(PHASE_ORDER):
        targets = allowed_transitions(state)
        if state == "closed":
            assert targets == []
            continue
        assert PHASE_ORDER[i + 1] in targets
        assert all(abs(PHASE_ORDER.index(t) - i) == 1 for t in targets)


@pytest.mark.django_db(transaction=True)
class TestCycleMachine:
    """Hypothesis drives random sequences of moves; the database must agree with a model."""

    def test_random_moves(self):
        run_state_machine(CycleMachine)


class CycleMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        CycleTransition.objects.all().delete()
        self.cycle = CycleFactory()
        self.admin = UserFactory()
        grant(self.admin, "program_admin", program=self.cycle.program)
        self.expected_state = "draft"
        self.expected_moves = 0

    @rule(phase=st.sampled_from([*PHASE_ORDER, "nonsense"]), note=st.sampled_from(["", "why"]))
    def move(self, phase, note):
        target = phase
        legal = target in allowed_transitions(self.expected_state)
        back = legal and PHASE_ORDER.index(target) < PHASE_ORDER.index(self.expected_state)
        try:
            move_cycle(self.cycle, target, actor=self.admin, note=note)
        except ActionRefused as refusal:
            assert refusal.message
            assert not legal or (back and not note)
        else:
            assert legal and (not back or note)
            self.expected_state = target
            self.expected_moves += 1

    @invariant()
    def database_agrees(self):
        if not hasattr(self, "cycle"):
            return
        self.cycle.refresh_from_db()
        assert self.cycle.state == self.expected_state
        assert self.cycle.transitions.count() == self.expected_moves


def run_state_machine(machine):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
