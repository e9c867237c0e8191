"""Plans, their workflow and items, exceptions and board decisions, against the world."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.development import services
from talent_exchange.development.models import (
    Competency,
    Decision,
    ExceptionStatus,
    ItemStatus,
    PlanStatus,
    ProgressStage,
)
from talent_exchange.development.tests.factories import framework
from talent_exchange.placements.services import close_placement
from talent_exchange.placements.tests.factories import placement_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    return services.create_plan(
        world.person_a, world.program, 2027, framework(), actor=world.users["participant"]
    )


def _competency(plan):
    return Competency.objects.filter(version=plan.framework).first()


def _item(plan, user, **kw):
    return services.add_item(
        plan,
        actor=user,
        competency=_competency(plan),
        activity_type=kw.pop("activity_type", "course"),
        description="Budget course",
        cost=Decimal("1200.50"),
        **kw,
    )


def test_a_plan_goes_draft_submitted_approved_with_a_revision(
    world, plan, django_capture_on_commit_callbacks
):
    participant, supervisor = world.users["participant"], world.users["supervisor"]
    with pytest.raises(ActionRefused, match="Add at least one activity"):
        services.submit_plan(plan, actor=participant)
    item = _item(plan, participant)
    assert item.cost == Decimal("1200.50")
    with pytest.raises(PermissionDenied):
        services.submit_plan(plan, actor=supervisor)
    services.submit_plan(plan, actor=participant)
    with pytest.raises(ActionRefused, match="Say what should be revised"):
        services.request_revision(plan, actor=supervisor, note="")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_revision(plan, actor=supervisor, note="Add a rotation.")
    assert plan.status == PlanStatus.REVISION_REQUESTED
    services.submit_plan(plan, actor=participant)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan, actor=world.users["coord_a"])
    services.approve_plan(plan, actor=supervisor)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.reviewed_on is not None
    assert [t.to_state for t in plan.transitions.all()] == [
        "submitted",
        "revision_requested",
        "submitted",
        "approved",
    ]
    assert any("Add a rotation." in m.body for m in mail.outbox)
    # once approved, items are frozen
    with pytest.raises(ActionRefused, match="cannot be changed"):
        _item(plan, participant)


def test_progress_by_the_person_and_the_supervisor(world, plan):
    _item(plan, world.users["participant"])
    services.submit_plan(plan, actor=world.users["participant"])
    services.approve_plan(plan, actor=world.users["supervisor"])
    services.write_progress(
        plan, actor=world.users["participant"], stage=ProgressStage.MIDYEAR, text="Halfway."
    )
    services.write_progress(
        plan, actor=world.users["supervisor"], stage=ProgressStage.MIDYEAR, text="Agreed."
    )
    services.write_progress(
        plan, actor=world.users["participant"], stage=ProgressStage.MIDYEAR, text="Halfway+."
    )
    assert sorted((e.author_role, e.text) for e in plan.progress.all()) == [
        ("person", "Halfway+."),
        ("supervisor", "Agreed."),
    ]
    with pytest.raises(PermissionDenied):
        services.write_progress(
            plan, actor=world.users["board"], stage=ProgressStage.YEAR_END, text="x"
        )


def test_a_plan_item_links_only_to_the_persons_own_placement(world, plan):
    theirs = placement_in(world, person=world.person_b, host=world.city_a, coach=world.person_a)
    with pytest.raises(ValidationError) as refused:
        _item(plan, world.users["participant"], activity_type="detail", placement=theirs)
    assert "Bea Beta" in str(refused.value.message_dict["placement"])
    assert not plan.items.exists()


def test_closing_the_placement_completes_its_plan_items(world, plan):
    own = placement_in(world)
    item = _item(plan, world.users["participant"], activity_type="detail", placement=own)
    other = _item(plan, world.users["participant"])
    own.status = "returned"
    own.save()
    close_placement(own, world.users["admin"])
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED
    assert other.status == ItemStatus.PLANNED
    assert item.history.first().history_user == world.users["admin"]


def test_last_years_plan_is_carried_forward(world, plan):
    _item(plan, world.users["participant"])
    done = _item(plan, world.users["participant"])
    done.status = ItemStatus.COMPLETED
    done.save()
    plan.goals = "Lead a cross-ministry project."
    plan.save()
    nxt = services.create_plan(
        world.person_a, world.program, 2028, plan.framework, actor=world.users["supervisor"]
    )
    assert nxt.carried_from == plan
    assert nxt.goals == plan.goals
    assert nxt.items.count() == 1
    with pytest.raises(ActionRefused, match="already has a plan for 2028"):
        services.create_plan(
            world.person_a, world.program, 2028, plan.framework, actor=world.users["participant"]
        )


@pytest.mark.parametrize("role", ["coord_a", "coord_b", "panelist", "board", "nobody"])
def test_who_cannot_start_someones_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.create_plan(
            world.person_a, world.program, 2027, framework(), actor=world.users[role]
        )


def test_an_exception_needs_a_reason_and_an_end_and_the_boards_approval(world):
    kwargs = {
        "actor": world.users["participant"],
        "reason": "small_agency",
        "starts_on": date(2027, 1, 1),
    }
    with pytest.raises(ValidationError) as refused:
        services.request_exception(
            world.person_a, world.program, explanation=" ", ends_on=None, **kwargs
        )
    assert set(refused.value.message_dict) == {"explanation", "ends_on"}
    exception = services.request_exception(
        world.person_a,
        world.program,
        explanation="Sole specialist.",
        ends_on=date(2028, 1, 1),
        **kwargs,
    )
    for role in ("participant", "supervisor", "admin", "coord_a"):
        with pytest.raises(PermissionDenied):
            services.decide_exception(exception, actor=world.users[role], approve=True)
    services.decide_exception(exception, actor=world.users["board"], approve=True)
    assert exception.status == ExceptionStatus.APPROVED
    with pytest.raises(ActionRefused, match="already decided"):
        services.decide_exception(exception, actor=world.users["board"], approve=False)


def test_a_board_decision_is_carried_into_the_plan_and_sent(
    world, plan, django_capture_on_commit_callbacks
):
    session = services.open_session(
        world.program, 2027, actor=world.users["board"], held_on=date(2027, 6, 1)
    )
    with pytest.raises(PermissionDenied):
        services.record_decision(
            session, world.person_a, actor=world.users["admin"], decision=Decision.APPROVED
        )
    with pytest.raises(ActionRefused, match="not an executive"):
        services.record_decision(
            session, world.outsider, actor=world.users["board"], decision=Decision.APPROVED
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(
            session,
            world.person_a,
            actor=world.users["board"],
            decision=Decision.RECOMMEND_ASSIGNMENT,
            notes="A rotation to finance.",
        )
    plan.refresh_from_db()
    assert "A rotation to finance." in plan.board_notes
    assert plan.reviewed_on is not None
    assert plan.items.filter(activity_type="detail").count() == 1
    assert any(world.person_a.user.email in m.to for m in mail.outbox)
