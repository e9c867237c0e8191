"""The pages of executive development against the world: compliance (with the 14-day stint
that does not count), the data call export, plans, board sessions and talent search."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from talent_exchange.development import services
from talent_exchange.development.models import (
    Competency,
    DevelopmentPlan,
    MobilityException,
    PlanStatus,
    ReviewDecision,
)
from talent_exchange.development.tests.factories import (
    MobilityExceptionFactory,
    MobilityRuleFactory,
    framework,
)
from tests.factories import MobilityRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days_ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def rule(world):
    return MobilityRuleFactory(program=world.program, interval_years=5, min_days=120)


@pytest.fixture
def three_states(world, rule):
    """person_a: an old rotation and a 14-day acting stint (overdue); person_b: a rotation
    of 200 days ended a year ago (compliant); the supervisor: exempt."""
    MobilityRecordFactory(
        person=world.person_a, started_on=_days_ago(8 * 365), ended_on=_days_ago(7 * 365)
    )
    MobilityRecordFactory(person=world.person_a, started_on=_days_ago(30), ended_on=_days_ago(17))
    MobilityRecordFactory(
        person=world.person_b,
        assignment_type="rotation",
        host_organization=world.city_a,
        started_on=_days_ago(565),
        ended_on=_days_ago(365),
    )
    supervisor = world.person_a.supervisor
    MobilityExceptionFactory(
        person=supervisor,
        program=world.program,
        status="approved",
        starts_on=_days_ago(10),
        ends_on=_days_ago(-300),
    )
    return world


def _statuses(page):
    return {
        status: page.count(f'<tr data-status="{status}">')
        for status in ("compliant", "due", "overdue", "exempt")
    }


def test_compliance_shows_the_three_states_and_the_short_stint_does_not_count(
    three_states, client_for
):
    world = three_states
    response = client_for(world.users["board"]).get(
        reverse("development:compliance", args=[world.program.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert _statuses(page) == {"compliant": 1, "due": 0, "overdue": 1, "exempt": 1}
    row = page[page.index("Ada Alpha") :][:600]
    assert "Overdue" in row and "one was due by" in row


@pytest.mark.parametrize("extra", [0, 30])
def test_the_compliance_page_costs_the_same_for_any_size(
    three_states, client_for, django_assert_num_queries, extra
):
    for i in range(extra):
        person = PersonFactory(organization=three_states.city_b, last_name=f"Extra{i:02d}")
        MobilityRecordFactory(person=person, started_on=_days_ago(400), ended_on=_days_ago(100))
    client = client_for(three_states.users["board"])
    url = reverse("development:compliance", args=[three_states.program.pk])
    client.get(url)  # sessions, content types, the program's status index and data calls: warm
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_data_call_export_opens_in_a_spreadsheet_with_the_counts(three_states, client_for):
    world = three_states
    # a rotation reaching 120 days in this fiscal year, to another organisation
    from talent_exchange.development.mobility import fiscal_year_bounds, fiscal_year_of

    start, _end = fiscal_year_bounds(fiscal_year_of(TODAY))
    MobilityRecordFactory(
        person=world.person_b,
        assignment_type="detail",
        host_organization=world.outsider_org,
        started_on=start,
        ended_on=start + datetime.timedelta(days=150),
    )
    client = client_for(world.users["admin"])
    response = client.get(reverse("development:compliance_export", args=[world.program.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    call = book.worksheets[0]
    rows = [[c.value for c in row] for row in call.iter_rows()]
    assert rows[0][0] == "Assignment type"
    detail = next(r for r in rows if r[0] == "Detail")
    assert detail[1:] == [0, 1, 0, 1]  # internal, other government, outside, total
    on_roll = next(r for r in rows if r[0] == "Executives on 1 October")
    assert on_roll[4] == 3  # City A (2), City B (1), the administering county has nobody
    assert isinstance(on_roll[4], int)
    compliance = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert {r[2] for r in compliance[1:]} == {"Overdue", "Compliant", "Exempt"}
    csv = client.get(
        reverse("development:compliance_export", args=[world.program.pk, "csv"])
    ).content.decode()
    assert "Detail,0,1,0,1" in csv
    bad = client.get(reverse("development:compliance_export", args=[world.program.pk, "pdf"]))
    assert bad.status_code == 404


def test_a_formula_in_a_name_stays_text_in_the_export(three_states, client_for):
    world = three_states
    world.person_b.last_name = "=HYPERLINK(1)"
    world.person_b.save()
    response = client_for(world.users["admin"]).get(
        reverse("development:compliance_export", args=[world.program.pk, "xlsx"])
    )
    book = load_workbook(io.BytesIO(response.content))
    names = [r[0].value for r in book.worksheets[1].iter_rows(min_row=2)]
    assert "'Bea =HYPERLINK(1)" not in names
    assert any(str(n).startswith("Bea ") for n in names)
    assert all(not str(n).startswith("=") for n in names)


def test_board_dashboard_applies_the_programs_rule(three_states, client_for):
    page = client_for(three_states.users["board"]).get("/").content.decode()
    assert "Executives due for a developmental assignment" in page
    box = page[page.index('data-testid="dashboard-board"') :]
    assert "Ada Alpha" in box  # the 14-day acting stint did not take her off the list
    assert "Bea Beta" not in box[: box.index("Mobility compliance of the program")]


def test_a_plan_from_draft_to_approved_through_the_pages(world, client_for):
    version = framework()
    participant = client_for(world.users["participant"])
    response = participant.post(
        reverse("development:plan_create"),
        {"program": world.program.pk, "year": 2027, "framework": version.pk, "goals": "Grow"},
    )
    plan = DevelopmentPlan.objects.get(person=world.person_a)
    assert response.status_code == 302
    competency = Competency.objects.filter(version=version).first()
    response = participant.post(
        reverse("development:plan_add_item", args=[plan.pk]),
        {
            "competency": competency.pk,
            "activity_type": "course",
            "description": "Budget course",
            "cost": "950.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    participant.post(reverse("development:plan_transition", args=[plan.pk, "submit"]))
    supervisor = client_for(world.users["supervisor"])
    page = supervisor.get(reverse("development:plan", args=[plan.pk])).content.decode()
    assert "Approve" in page
    supervisor.post(reverse("development:plan_transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    # the other organisation's coordinator does not even see it
    assert (
        client_for(world.users["coord_b"])
        .get(reverse("development:plan", args=[plan.pk]))
        .status_code
        == 404
    )


def test_an_item_tied_to_someone_elses_placement_is_refused_on_the_page(world, client_for):
    from talent_exchange.placements.tests.factories import placement_in

    plan = services.create_plan(
        world.person_a, world.program, 2027, framework(), actor=world.users["participant"]
    )
    theirs = placement_in(world, person=world.person_b, host=world.city_a, coach=world.person_a)
    # the participant coaches that placement, so sees it; the plan is not its person's
    response = client_for(world.users["participant"]).post(
        reverse("development:plan_add_item", args=[plan.pk]),
        {
            "competency": Competency.objects.filter(version=plan.framework).first().pk,
            "activity_type": "detail",
            "description": "Detail",
            "cost": "0",
            "placement": theirs.pk,
        },
    )
    assert response.status_code == 200
    assert "a plan item can only be linked to a placement of the plan" in response.content.decode()
    assert not plan.items.exists()


def test_the_board_session_queue_and_a_decision(three_states, client_for):
    world = three_states
    board = client_for(world.users["board"])
    response = board.post(
        reverse("development:sessions", args=[world.program.pk]),
        {"year": 2027, "held_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    session_url = response.url
    page = board.get(session_url).content.decode()
    assert "Ada Alpha" in page and "Mobility history:" in page
    session_pk = int(session_url.rstrip("/").split("/")[-1])
    person = world.person_a
    response = board.post(
        reverse("development:session_decide", args=[session_pk, person.pk]),
        {f"p{person.pk}-decision": "recommend_assignment", f"p{person.pk}-notes": "Go to finance."},
    )
    assert response.status_code == 302
    assert ReviewDecision.objects.get(person=person).decision == "recommend_assignment"
    # the administrator sees the session but does not decide
    admin = client_for(world.users["admin"])
    assert admin.get(session_url).status_code == 200
    refused = admin.post(
        reverse("development:session_decide", args=[session_pk, person.pk]),
        {f"p{person.pk}-decision": "approved"},
    )
    assert refused.status_code == 403


def test_an_exception_is_requested_and_approved_on_the_pages(world, client_for, rule):
    participant = client_for(world.users["participant"])
    url = reverse("development:exception_create", args=[world.program.pk])
    response = participant.post(
        url,
        {"person": world.person_a.pk, "reason": "other", "explanation": "", "starts_on": TODAY},
    )
    assert response.status_code == 200
    assert not MobilityException.objects.exists()
    response = participant.post(
        url,
        {
            "person": world.person_a.pk,
            "reason": "specialised_position",
            "explanation": "Sole specialist.",
            "starts_on": TODAY,
            "ends_on": TODAY + datetime.timedelta(days=365),
        },
    )
    assert response.status_code == 302
    exception = MobilityException.objects.get()
    client_for(world.users["board"]).post(
        reverse("development:exception_decide", args=[exception.pk]), {"decision": "approve"}
    )
    exception.refresh_from_db()
    assert exception.status == "approved"


def test_talent_search_is_scoped_and_saved(world, client_for):
    world.person_b.would_take_1 = "Director of Finance"
    world.person_b.save()
    world.outsider.would_take_1 = "Director of Finance"
    world.outsider.save()
    admin = client_for(world.users["admin"])
    page = admin.get(reverse("development:talent"), {"would_take": "finance"}).content.decode()
    assert "Bea Beta" in page and "Olu Outlander" not in page
    coord = client_for(world.users["coord_a"]).get(
        reverse("development:talent"), {"would_take": "finance"}
    )
    assert "Bea Beta" not in coord.content.decode()
    by_org = admin.get(
        reverse("development:talent"), {"would_take": "finance", "organization": world.city_a.pk}
    ).content.decode()
    assert "Bea Beta" not in by_org
    admin.post(
        reverse("development:talent_save"), {"name": "Finance", "query": "would_take=finance"}
    )
    assert "Finance" in admin.get(reverse("development:talent")).content.decode()


def test_the_mobility_agreement_is_signed_once_and_kept(world, client_for):
    from talent_exchange.development.models import MobilityAgreement

    participant = client_for(world.users["participant"])
    listing = participant.get(reverse("development:plans")).content.decode()
    url = reverse("development:agreement", args=[world.program.pk])
    assert url in listing
    assert participant.post(url, {}).status_code == 200  # the box is not ticked
    assert not MobilityAgreement.objects.exists()
    participant.post(url, {"agree": "on"})
    agreement = MobilityAgreement.objects.get()
    assert agreement.signed_by == world.users["participant"]
    assert "Bay Exchange" in agreement.text
    assert agreement.history.count() == 1
    assert url not in participant.get(reverse("development:plans")).content.decode()
    assert "Signed on" in participant.get(url).content.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_the_plan_list_costs_the_same_for_any_size(
    world, client_for, django_assert_num_queries, extra
):
    from talent_exchange.development.tests.factories import DevelopmentPlanFactory

    version = framework()
    DevelopmentPlanFactory(person=world.person_a, program=world.program, framework=version)
    for i in range(extra):
        DevelopmentPlanFactory(
            person=PersonFactory(organization=world.city_b, last_name=f"Plan{i:02d}"),
            program=world.program,
            framework=version,
        )
    client = client_for(world.users["board"])
    client.get(reverse("development:plans"))
    with django_assert_num_queries(5):
        page = client.get(reverse("development:plans")).content.decode()
    assert page.count('href="/development/plans/') >= 1 + extra


@pytest.mark.parametrize("extra", [0, 20])
def test_the_talent_search_costs_the_same_for_any_size(
    world, client_for, django_assert_num_queries, extra
):
    for i in range(extra):
        PersonFactory(organization=world.city_b, last_name=f"Talent{i:02d}", years_of_service=12)
    client = client_for(world.users["admin"])
    url = reverse("development:talent")
    client.get(url, {"min_years": 5})
    with django_assert_num_queries(9):
        assert client.get(url, {"min_years": 5}).status_code == 200


def test_the_rule_form_refuses_a_minimum_above_the_maximum(world, client_for, rule):
    admin = client_for(world.users["admin"])
    url = reverse("development:rule", args=[world.program.pk])
    data = {
        "interval_years": 5,
        "min_days": 120,
        "counted_types": ["detail", "rotation"],
        "due_within_months": 6,
        "min_moves": 3,
        "max_moves": 2,
        "goal_share": "15",
    }
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "cannot be below the minimum" in response.content.decode()
    rule.refresh_from_db()
    assert rule.min_moves is None and rule.max_moves is None
    admin.post(url, {**data, "max_moves": 4, "moves_period_years": 10})
    rule.refresh_from_db()
    assert (rule.min_moves, rule.max_moves, rule.moves_period_years) == (3, 4, 10)


def test_the_minimum_moves_make_a_compliant_executive_due_on_the_dashboard(
    three_states, client_for, rule
):
    url = reverse("development:compliance", args=[three_states.program.pk])
    board = client_for(three_states.users["board"])
    before = board.get(url).content.decode()
    assert _statuses(before)["compliant"] == 1 and _statuses(before)["due"] == 0
    rule.min_moves = 2
    rule.moves_period_years = 10
    rule.save()
    page = board.get(url).content.decode()
    assert _statuses(page)["compliant"] == 0 and _statuses(page)["due"] == 1
    assert "1 of the 2 moves that count the rule asks for in the last 10 years" in page
    assert "At least 2 moves that count in the last 10 years." in page
