"""The opportunity workflow: permissions, validation and the state machine."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.opportunities import services
from talent_exchange.opportunities.models import (
    OPPORTUNITY_WORKFLOW,
    Opportunity,
    OpportunityStatus,
    OpportunityTransition,
    transition_refusal,
)
from tests.factories import PersonFactory

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in OpportunityStatus]

# The specification, written out apart from the workflow it checks: a host withdraws from any
# state but withdrawn; the program administrator approves or returns a submitted one.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"approved", "returned", "withdrawn"}),
    "returned": frozenset({"submitted", "withdrawn"}),
    "approved": frozenset({"withdrawn"}),
    "withdrawn": frozenset(),
}


def test_the_workflow_declares_exactly_the_specified_moves():
    assert {s: frozenset(OPPORTUNITY_WORKFLOW.targets(s)) for s in STATUSES} == TRANSITIONS


def _draft(world, **kwargs):
    fields = {
        "cycle": world.cycle,
        "host_organization": world.city_a,
        "title": "Budget analyst stretch",
        "description": "Help build next year's budget.",
        "duration_months": 3,
        "start_earliest": datetime.date(2027, 3, 1),
        "start_latest": datetime.date(2027, 4, 1),
        "capacity": 1,
    }
    fields.update(kwargs)
    return Opportunity(**fields)


def test_coordinator_posts_submits_and_admin_approves_with_history(world):
    coord, admin = world.users["coord_a"], world.users["admin"]
    opportunity = services.save_draft(_draft(world), actor=coord)
    assert opportunity.status == "draft" and opportunity.posted_by == coord
    services.submit(opportunity, actor=coord)
    services.approve(opportunity, actor=admin, comment="Looks good")
    opportunity.refresh_from_db()
    assert opportunity.status == "approved"
    moves = list(opportunity.transitions.values_list("from_status", "to_status", "actor__username"))
    assert moves == [("draft", "submitted", "coord_a"), ("submitted", "approved", "admin")]
    # simple-history keeps who changed the status too
    assert opportunity.history.latest().history_user == admin


def test_return_needs_a_comment_and_the_host_resubmits(world):
    coord, admin = world.users["coord_a"], world.users["admin"]
    opportunity = services.save_draft(_draft(world), actor=coord)
    services.submit(opportunity, actor=coord)
    with pytest.raises(ActionRefused, match="comment is required"):
        services.return_for_changes(opportunity, actor=admin, comment="  ")
    services.return_for_changes(opportunity, actor=admin, comment="Add the coach")
    assert Opportunity.objects.get().review_comment == "Add the coach"
    opportunity.coach = PersonFactory(organization=world.city_a)
    services.save_draft(opportunity, actor=coord)
    services.submit(opportunity, actor=coord)
    assert Opportunity.objects.get().status == "submitted"


def test_illegal_transition_is_refused_with_a_message(world):
    coord = world.users["coord_a"]
    opportunity = services.save_draft(_draft(world), actor=coord)
    with pytest.raises(ActionRefused, match="cannot become “Approved”"):
        # even the administrator cannot approve a draft nobody submitted
        services.approve(opportunity, actor=world.users["admin"])
    services.withdraw(opportunity, actor=coord)
    with pytest.raises(ActionRefused, match="withdrawn"):
        services.submit(opportunity, actor=coord)
    assert OpportunityTransition.objects.count() == 1


def test_only_the_right_people_act(world):
    coord_a, coord_b, admin = (world.users[n] for n in ("coord_a", "coord_b", "admin"))
    with pytest.raises(PermissionDenied):
        services.save_draft(_draft(world), actor=world.users["participant"])
    with pytest.raises(PermissionDenied):
        services.save_draft(_draft(world), actor=coord_b)  # City A is not theirs
    opportunity = services.save_draft(_draft(world), actor=coord_a)
    with pytest.raises(PermissionDenied):
        services.submit(opportunity, actor=coord_b)
    services.submit(opportunity, actor=coord_a)
    for outsider in (coord_a, world.users["auditor"], world.users["board"]):
        with pytest.raises(PermissionDenied):
            services.approve(opportunity, actor=outsider)
    services.approve(opportunity, actor=admin)


def test_submitted_opportunity_cannot_be_edited(world):
    coord = world.users["coord_a"]
    opportunity = services.save_draft(_draft(world), actor=coord)
    services.submit(opportunity, actor=coord)
    opportunity.title = "Changed behind the reviewer's back"
    with pytest.raises(ActionRefused, match="can no longer be edited"):
        services.save_draft(opportunity, actor=coord)
    assert Opportunity.objects.get().title == "Budget analyst stretch"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_latest": datetime.date(2027, 2, 1)}, "start_latest"),
        ({"capacity": 0}, "capacity"),
        ({"duration_months": 12}, "duration_months"),  # the program allows 3 to 3 months
    ],
)
def test_validation_names_the_field(world, changes, field):
    with pytest.raises(ValidationError) as error:
        services.save_draft(_draft(world, **changes), actor=world.users["coord_a"])
    assert field in error.value.message_dict
    assert not Opportunity.objects.exists()


def test_coach_must_work_for_the_host(world):
    with pytest.raises(ValidationError) as error:
        services.save_draft(_draft(world, coach=world.person_b), actor=world.users["coord_a"])
    assert "coach" in error.value.message_dict


def test_posting_closes_after_the_opportunities_phase(world):
    world.cycle.state = "preferences"
    world.cycle.save()
    with pytest.raises(ActionRefused, match="Preferences phase"):
        services.save_draft(_draft(world), actor=world.users["coord_a"])


@given(current=st.sampled_from(STATUSES), target=st.sampled_from(STATUSES))
def test_refusal_exactly_when_the_table_forbids(current, target):
    refusal = transition_refusal(current, target)
    assert (refusal is None) == (target in TRANSITIONS[current])
    if refusal is not None:
        assert len(refusal) > 20  # a sentence, not a code


def test_every_state_but_withdrawn_can_be_withdrawn_and_withdrawn_is_final():
    for status in STATUSES:
        assert (OpportunityStatus.WITHDRAWN in TRANSITIONS[status]) == (status != "withdrawn")
    assert TRANSITIONS[OpportunityStatus.WITHDRAWN] == frozenset()


class OpportunityWorkflow(RuleBasedStateMachine):
    """Random sequences of actions by the host and the administrator: the stored status always
    follows the table, and every change leaves exactly one transition row."""

    def __init__(self):
        super().__init__()
        self.world = WORLD
        self.opportunity = services.save_draft(
            OpportunityFactory.build(
                cycle=self.world.cycle,
                host_organization=self.world.city_a,
                posted_by=self.world.users["coord_a"],
            ),
            actor=self.world.users["coord_a"],
        )
        self.model_status = "draft"
        self.moves = 0

    def _try(self, action, target):
        try:
            action()
        except ActionRefused:
            assert target not in TRANSITIONS[self.model_status]
        else:
            assert target in TRANSITIONS[self.model_status]
            self.model_status = target
            self.moves += 1

    @rule()
    def submit(self):
        self._try(
            lambda: services.submit(self.opportunity, actor=self.world.users["coord_a"]),
            "submitted",
        )

    @rule()
    def approve(self):
        self._try(
            lambda: services.approve(self.opportunity, actor=self.world.users["admin"]), "approved"
        )

    @rule(comment=st.text(min_size=1, max_size=20).filter(str.strip))
    def return_it(self, comment):
        self._try(
            lambda: services.return_for_changes(
                self.opportunity, actor=self.world.users["admin"], comment=comment
            ),
            "returned",
        )

    @rule()
    def withdraw(self):
        self._try(
            lambda: services.withdraw(self.opportunity, actor=self.world.users["coord_a"]),
            "withdrawn",
        )

    @precondition(lambda self: self.model_status in ("draft", "returned"))
    @rule(title=st.text(alphabet="abcdefgh ", min_size=1, max_size=30).filter(str.strip))
    def edit(self, title):
        self.opportunity.title = title
        services.save_draft(self.opportunity, actor=self.world.users["coord_a"])

    @invariant()
    def stored_status_follows_the_model(self):
        assert Opportunity.objects.get(pk=self.opportunity.pk).status == self.model_status
        assert self.opportunity.transitions.count() == self.moves


WORLD = None  # the machine runs inside one test's database, on that test's world


def test_workflow_state_machine(world):
    global WORLD
    WORLD = world
    run_state_machine_as_test(
        OpportunityWorkflow,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        ),
    )


def test_approve_many_approves_all_or_none(world):
    """Issue 19 item 3: the review queue approves several at once."""
    world.cycle.state = "opportunities"
    world.cycle.save()
    waiting = [
        OpportunityFactory(cycle=world.cycle, status=OpportunityStatus.SUBMITTED) for _ in range(3)
    ]
    with pytest.raises(PermissionDenied):
        services.approve_many(waiting, actor=world.users["coord_a"])
    assert {o.status for o in Opportunity.objects.filter(pk__in=[o.pk for o in waiting])} == {
        OpportunityStatus.SUBMITTED
    }
    services.approve_many(waiting[:2], actor=world.users["admin"])
    assert sorted(
        Opportunity.objects.filter(pk__in=[o.pk for o in waiting]).values_list("status", flat=True)
    ) == ["approved", "approved", "submitted"]
