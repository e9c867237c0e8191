"""The workflow mechanism (core/workflow.py), for every declared workflow: random sequences of
actions by random users only move an object along declared actions, every move leaves exactly
one transition record, and a refused action changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.development.models import PLAN_WORKFLOW
from talent_exchange.finance.models import INVOICE_WORKFLOW
from talent_exchange.learning.models import POST_WORKFLOW, SESSION_WORKFLOW
from talent_exchange.matches.models import OFFER_WORKFLOW
from talent_exchange.nominations.models import NOMINATION_WORKFLOW
from talent_exchange.opportunities.models import OPPORTUNITY_WORKFLOW
from talent_exchange.placements.models import PLACEMENT_WORKFLOW
from talent_exchange.programs.models import CYCLE_WORKFLOW
from tests.factories import CycleFactory, OrganizationFactory, UserFactory, grant


def _cycle_world():
    cycle = CycleFactory()
    member = OrganizationFactory()
    cycle.program.participating_organizations.add(member)
    admin, other_admin, coordinator, auditor, nobody = UserFactory.create_batch(5)
    grant(admin, "program_admin", program=cycle.program)
    grant(other_admin, "program_admin", program=CycleFactory().program)
    grant(coordinator, "coordinator", organization=member)
    grant(auditor, "auditor")
    return cycle, [admin, other_admin, coordinator, auditor, nobody]


def _opportunity_world():
    from talent_exchange.opportunities.tests.factories import OpportunityFactory

    cycle, users = _cycle_world()
    host = OrganizationFactory()
    cycle.program.participating_organizations.add(host)
    host_coordinator = UserFactory()
    grant(host_coordinator, "coordinator", organization=host)
    opportunity = OpportunityFactory(cycle=cycle, host_organization=host, status="draft")
    return opportunity, [host_coordinator, *users]


def _placement_world():
    from talent_exchange.placements.services import start_placement
    from talent_exchange.placements.tests.factories import accepted_offer
    from tests.factories import PersonFactory

    cycle, _users = _cycle_world()
    home, host = OrganizationFactory(), OrganizationFactory()
    admin, home_coordinator, auditor, nobody = UserFactory.create_batch(4)
    offer = accepted_offer(
        cycle=cycle, person=PersonFactory(organization=home), host=host, actor=admin
    )
    placement = start_placement(offer, admin)
    grant(admin, "program_admin", program=placement.program)
    grant(home_coordinator, "coordinator", organization=placement.home_organization)
    grant(auditor, "auditor")
    return placement, [admin, home_coordinator, auditor, nobody]


def _nomination_world():
    from talent_exchange.nominations.tests.factories import NominationFactory

    cycle, users = _cycle_world()
    nomination = NominationFactory(cycle=cycle, status="awaiting_endorsement")
    home_coordinator, nominee = UserFactory.create_batch(2)
    grant(home_coordinator, "coordinator", organization=nomination.home_organization)
    nomination.person.user = nominee
    nomination.person.save()
    return nomination, [home_coordinator, nominee, *users]


def _offer_world():
    from talent_exchange.matches.tests.factories import OfferFactory

    offer = OfferFactory()
    participant, admin, coordinator, auditor, nobody = UserFactory.create_batch(5)
    offer.nomination.person.user = participant
    offer.nomination.person.save()
    grant(admin, "program_admin", program=offer.run.cycle.program)
    grant(coordinator, "coordinator", organization=offer.opportunity.host_organization)
    grant(auditor, "auditor")
    return offer, [participant, admin, coordinator, auditor, nobody]


def _plan_world():
    from talent_exchange.development.tests.factories import DevelopmentPlanFactory, PlanItemFactory
    from tests.factories import PersonFactory

    cycle, users = _cycle_world()
    member = cycle.program.participating_organizations.first()
    owner_user, supervisor_user, board, other_board = UserFactory.create_batch(4)
    supervisor = PersonFactory(organization=member, user=supervisor_user)
    person = PersonFactory(organization=member, user=owner_user, supervisor=supervisor)
    grant(owner_user, "participant")
    grant(supervisor_user, "supervisor", organization=member)
    grant(board, "board_reviewer", program=cycle.program)
    grant(other_board, "board_reviewer", program=CycleFactory().program)
    plan = DevelopmentPlanFactory(person=person, program=cycle.program)
    PlanItemFactory(plan=plan)
    return plan, [owner_user, supervisor_user, board, other_board, *users]


def _invoice_world():
    from decimal import Decimal

    from talent_exchange.finance.models import Invoice
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    recipient = OrganizationFactory()
    invoice = Invoice.objects.create(
        program=program, kind="fee", issuer=program.administering_organization,
        recipient=recipient, currency="USD", total=Decimal("100.00"),
    )  # fmt: skip
    treasurer, issuer_officer, other_officer, auditor = UserFactory.create_batch(4)
    grant(treasurer, "treasurer", program=program)
    grant(issuer_officer, "finance_officer", organization=program.administering_organization)
    grant(other_officer, "finance_officer", organization=recipient)
    grant(auditor, "auditor")
    return invoice, [treasurer, issuer_officer, other_officer, auditor]


def _session_world():
    from talent_exchange.learning.tests.factories import InvitationFactory, SessionFactory
    from tests.factories import PersonFactory

    cycle, users = _cycle_world()
    session = SessionFactory(program=cycle.program, cycle=cycle, organiser=users[0])
    guest = UserFactory()
    InvitationFactory(session=session, person=PersonFactory(user=guest))
    return session, [guest, *users]


def _post_world():
    from talent_exchange.learning.tests.factories import PostFactory, ThreadFactory

    cycle, users = _cycle_world()
    thread = ThreadFactory(program=cycle.program, cycle=cycle, author=users[2])
    return PostFactory(thread=thread), users


# (workflow, a function returning the object and the users who try the actions)
WORKFLOWS = {
    "cycle": (CYCLE_WORKFLOW, _cycle_world),
    "opportunity": (OPPORTUNITY_WORKFLOW, _opportunity_world),
    "placement": (PLACEMENT_WORKFLOW, _placement_world),
    "nomination": (NOMINATION_WORKFLOW, _nomination_world),
    "offer": (OFFER_WORKFLOW, _offer_world),
    "development_plan": (PLAN_WORKFLOW, _plan_world),
    "invoice": (INVOICE_WORKFLOW, _invoice_world),
    "learning_session": (SESSION_WORKFLOW, _session_world),
    "learning_post": (POST_WORKFLOW, _post_world),
}


def _records(workflow, obj) -> int:
    return workflow.record.objects.filter(**{workflow.record.subject_field: obj}).count()


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_actions_move_only_along_declared_actions(name, data):
    workflow, world = WORKFLOWS[name]
    obj, users = world()
    steps = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from([a.name for a in workflow.actions]),
                st.integers(0, len(users) - 1),
                st.sampled_from(["", "a reason"]),
            ),
            max_size=12,
        )
    )
    for action_name, who, note in steps:
        action = workflow.by_name[action_name]
        before = workflow.state_of(type(obj).objects.get(pk=obj.pk))
        records = _records(workflow, obj)
        offered = action in workflow.available_actions(obj, users[who]) or (
            action.permission is None and before in action.sources  # done by the system
        )
        try:
            workflow.perform(obj, action_name, actor=users[who], note=note)
        except (ActionRefused, PermissionDenied):
            row = type(obj).objects.get(pk=obj.pk)
            assert workflow.state_of(row) == before
            assert _records(workflow, obj) == records
            assert not offered or (action.note_required and not note)
        else:
            assert offered, "the mechanism did an action the workflow did not offer"
            row = type(obj).objects.get(pk=obj.pk)
            assert before in action.sources
            assert workflow.state_of(row) == (action.target or before)
            assert _records(workflow, obj) == records + (1 if action.moves else 0)
            assert workflow.state_of(obj) == workflow.state_of(row)


def test_a_workflow_refuses_unknown_states():
    from talent_exchange.core.workflow import Action, Workflow
    from talent_exchange.programs.models import Phase

    with pytest.raises(ValueError, match="unknown states"):
        Workflow(states=Phase, actions=[Action("fly", ["draft"], "moon", permission=None)])
