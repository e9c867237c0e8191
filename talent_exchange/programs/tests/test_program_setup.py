"""A program is created from the template of its shape and its rules are set on one page
(issue 10, item 1): no Django admin, bad input refused beside the field, nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.interviews.models import RubricCriterion
from talent_exchange.nominations.models import EndorsementStep
from talent_exchange.organizations.models import Organization
from talent_exchange.placements.models import AgreementTemplate
from talent_exchange.programs.models import Program, ProgramShape
from talent_exchange.programs.schedule import phase_date_errors
from talent_exchange.programs.shapes import all_templates
from tests.factories import (
    OrganizationFactory,
    PanelAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _errors(response) -> list[str]:
    """The messages beside the fields of a page sent back (to say why a test failed)."""
    import re

    return re.findall(r'id="([^"]*)" role="alert">([^<]*)<', response.content.decode())


def test_every_shape_has_a_template_whose_own_schedule_is_valid():
    templates = all_templates()
    assert set(templates) == set(ProgramShape.values)
    for template in templates.values():
        assert template.endorsement_chain and template.rubric
        assert template.min_assignment_months <= template.max_assignment_months
        from datetime import date

        dates = template.phase_dates(date(2027, 1, 4))
        assert phase_date_errors(dates, phases_may_overlap=template.phases_may_overlap) == {}


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_superuser=True, is_staff=True)


def _create(client, **changes):
    data = {
        "template": "consortium_exchange",
        "name": "Bay Area MTEP",
        "short_name": "MTEP",
        "description": "",
        "administering_organization": "",
        "new_organization": "",
        "new_organization_kind": "",
        **changes,
    }
    return client.post(reverse("programs:create"), data)


@pytest.mark.parametrize("shape", ProgramShape.values)
def test_operator_creates_a_program_from_each_template(client, operator, shape):
    county = OrganizationFactory(name="County of San Mateo", kind="county")
    client.force_login(operator)
    response = _create(
        client, template=shape, name=f"Program {shape}", administering_organization=county.pk
    )
    program = Program.objects.get(name=f"Program {shape}")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:edit", args=[program.pk])
    template = all_templates()[shape]
    assert program.shape == shape
    assert program.assignment_types == template.assignment_types
    assert [s.title for s in EndorsementStep.objects.filter(program=program)] == [
        s.title for s in template.endorsement_chain
    ]
    assert RubricCriterion.objects.filter(program=program).count() == len(template.rubric)
    agreement = AgreementTemplate.objects.get(program=program)
    assert agreement.return_service_months == template.return_service_months
    # The operator does not become the program's administrator by creating it.
    assert not RoleGrant.objects.filter(program=program).exists()
    assert program.history.first().history_user == operator


def test_a_program_administrator_creates_one_with_a_new_organisation_and_runs_it(world, client_for):
    client = client_for(world.users["admin"])
    response = _create(
        client,
        template="ministry_mobility",
        name="Executive mobility",
        new_organization="Public Service Commission",
        new_organization_kind="agency",
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Executive mobility")
    assert program.administering_organization.name == "Public Service Commission"
    assert program.administrators_act_for_organizations
    assert RoleGrant.objects.filter(
        user=world.users["admin"], role="program_admin", program=program
    ).exists()
    assert client.get(reverse("programs:edit", args=[program.pk])).status_code == 200


def test_a_program_administrator_cannot_name_an_organisation_out_of_reach(world, client_for):
    client = client_for(world.users["admin"])
    response = _create(client, administering_organization=world.outsider_org.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Program.objects.filter(name="Bay Area MTEP").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "administering_organization", "Choose the administering organisation"),
        (
            {"new_organization": "Gamma County", "new_organization_kind": "county"},
            "new_organization",
            "exists already",
        ),
        ({"new_organization": "Fresh Agency"}, "new_organization_kind", "what kind"),
        (
            {"name": "Bay Exchange", "new_organization": "X", "new_organization_kind": "city"},
            "name",
            "already exists",
        ),
    ],
)
def test_creation_refuses_bad_input_beside_the_field(
    world, operator, client, changes, field, message
):
    client.force_login(operator)
    before = (Program.objects.count(), Organization.objects.count())
    response = _create(client, **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="{field}-error"' in page and message in page
    assert (Program.objects.count(), Organization.objects.count()) == before


@pytest.mark.parametrize("role", ["coord_a", "participant", "auditor", "board", "panelist"])
def test_only_operators_and_program_administrators_create_programs(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse("programs:create")).status_code == 403
    _create(client, new_organization="New", new_organization_kind="city")
    assert not Program.objects.filter(name="Bay Area MTEP").exists()


# -- the settings page -------------------------------------------------------------------------


def _program_from_template(operator, client, shape="consortium_exchange") -> Program:
    county = OrganizationFactory(name=f"Admin org {shape}", kind="county")
    client.force_login(operator)
    _create(client, template=shape, name=f"Rules {shape}", administering_organization=county.pk)
    return Program.objects.get(name=f"Rules {shape}")


def settings_data(program: Program, **changes) -> dict:
    """What the settings page sends back unchanged, plus ``changes``."""
    steps = list(EndorsementStep.objects.filter(program=program))
    criteria = list(RubricCriterion.objects.filter(program=program))
    agreement = AgreementTemplate.for_program(program)
    data = {
        "name": program.name,
        "short_name": program.short_name,
        "description": program.description,
        "administering_organization": program.administering_organization_id,
        "assignment_types": program.assignment_types,
        "min_assignment_months": program.min_assignment_months,
        "max_assignment_months": program.max_assignment_months,
        "eligibility": program.eligibility,
        "min_years_of_service": program.min_years_of_service,
        "max_moves": program.max_moves or "",
        "reciprocity": program.reciprocity,
        "balance_tolerance": program.balance_tolerance,
        "reminder_days": ", ".join(str(d) for d in program.reminder_days),
        "chain-TOTAL_FORMS": len(steps) + 1,
        "chain-INITIAL_FORMS": len(steps),
        "rubric-TOTAL_FORMS": len(criteria) + 1,
        "rubric-INITIAL_FORMS": len(criteria),
        # the empty extra rows, as a browser sends them (their defaults)
        f"chain-{len(steps)}-kind": "organization",
        f"rubric-{len(criteria)}-weight": "1.00",
        f"rubric-{len(criteria)}-max_score": "5",
    }
    for flag in (
        "requires_conflict_attestation",
        "phases_may_overlap",
        "cycles_may_overlap",
        "administrators_act_for_organizations",
    ):
        if getattr(program, flag):
            data[flag] = "on"
    for i, step in enumerate(steps):
        data |= {
            f"chain-{i}-id": step.pk,
            f"chain-{i}-order": step.order,
            f"chain-{i}-title": step.title,
            f"chain-{i}-kind": step.kind,
        }
    for i, c in enumerate(criteria):
        data |= {
            f"rubric-{i}-id": c.pk,
            f"rubric-{i}-order": c.order,
            f"rubric-{i}-name": c.name,
            f"rubric-{i}-description": c.description,
            f"rubric-{i}-weight": c.weight,
            f"rubric-{i}-max_score": c.max_score,
        }
    for name in (
        "return_service_months",
        "return_rights_text",
        "re_entry_text",
        "conflict_text",
        "appraisal_text",
        "awards_text",
        "salary_home_percent",
        "expenses_home_percent",
        "checkin_interval_months",
    ):
        data[f"agreement-{name}"] = getattr(agreement, name)
    return data | changes


def test_settings_change_every_rule_at_once_and_keep_history(operator, client):
    program = _program_from_template(operator, client)
    url = reverse("programs:edit", args=[program.pk])
    assert client.get(url).status_code == 200
    data = settings_data(
        program,
        max_assignment_months=6,
        reminder_days="2, 14, 2",
        **{
            # Move the third step first, and add a fourth.
            "chain-2-order": 0 + 1,
            "chain-0-order": 2,
            "chain-1-order": 3,
            "chain-3-order": 4,
            "chain-3-title": "Board chair",
            "chain-3-kind": "organization",
            "rubric-0-weight": "5",
            "agreement-return_service_months": 6,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    program.refresh_from_db()
    assert program.max_assignment_months == 6
    assert program.reminder_days == [14, 2]
    assert program.rules_reviewed_at is not None
    assert [s.title for s in EndorsementStep.objects.filter(program=program)] == [
        "City manager or chief executive",
        "Supervisor",
        "Department head",
        "Board chair",
    ]
    assert RubricCriterion.objects.filter(program=program).first().weight == Decimal(5)
    assert AgreementTemplate.objects.get(program=program).return_service_months == 6
    # Each rule's change is in the history, and on the page.
    assert EndorsementStep.history.filter(program_id=program.pk, history_type="~").exists()
    page = client.get(url).content.decode()
    assert "Endorsement step changed" in page and "Board chair" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {f"chain-{i}-DELETE": "on" for i in range(3)},
            "The endorsement chain needs at least one step",
        ),
        ({f"rubric-{i}-weight": "0" for i in range(4)}, "The weights add up to zero"),
        ({"rubric-0-weight": "-1"}, "greater than or equal to 0"),
        ({"rubric-0-max_score": "0"}, "greater than or equal to 1"),
        ({"min_assignment_months": 6, "max_assignment_months": 3}, "cannot be shorter"),
        ({"reminder_days": "seven"}, "Write whole numbers of days"),
        ({"assignment_types": []}, "Choose at least one kind of assignment"),
        ({"agreement-salary_home_percent": 120}, "more than 100%"),
    ],
)
def test_bad_rules_are_refused_beside_the_field_and_nothing_is_written(
    operator, client, changes, message
):
    program = _program_from_template(operator, client)
    before = (
        list(EndorsementStep.objects.filter(program=program).values_list("title", "order")),
        list(RubricCriterion.objects.filter(program=program).values_list("name", "weight")),
        EndorsementStep.history.count() + RubricCriterion.history.count(),
    )
    data = settings_data(program, name="Renamed while wrong", **changes)
    response = client.post(reverse("programs:edit", args=[program.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page, _errors(response)
    assert "Nothing was saved" in page
    program.refresh_from_db()
    assert program.name != "Renamed while wrong"
    assert program.rules_reviewed_at is None
    after = (
        list(EndorsementStep.objects.filter(program=program).values_list("title", "order")),
        list(RubricCriterion.objects.filter(program=program).values_list("name", "weight")),
        EndorsementStep.history.count() + RubricCriterion.history.count(),
    )
    assert after == before


def test_a_forged_row_count_builds_no_more_rows_than_the_limit(operator, client):
    """TOTAL_FORMS comes from the browser: 10**9 rows must not cost a thousand forms to check
    and show (the page answered in seconds before the formsets had an absolute limit)."""
    program = _program_from_template(operator, client)
    data = settings_data(program, **{"chain-TOTAL_FORMS": 10**9, "rubric-TOTAL_FORMS": 10**9})
    response = client.post(reverse("programs:edit", args=[program.pk]), data)
    assert response.status_code == 200
    assert len(response.context["chain"].forms) <= 20
    assert len(response.context["rubric"].forms) <= 30
    assert "Nothing was saved" in response.content.decode()


def test_a_scored_criterion_cannot_be_removed(world, client_for):
    criterion = RubricCriterion.objects.create(program=world.program, name="Judgement", order=1)
    assignment = PanelAssignmentFactory(panel__cycle=world.cycle)
    assignment.scores.create(panelist=world.users["panelist"], criterion=criterion, score=3)
    client = client_for(world.users["admin"])
    data = settings_data(world.program, assignment_types=["exchange"], **{"rubric-0-DELETE": "on"})
    data["chain-0-title"] = "Supervisor"
    data["chain-0-kind"] = "supervisor"
    data["chain-0-order"] = 1
    response = client.post(reverse("programs:edit", args=[world.program.pk]), data)
    assert "cannot be removed" in response.content.decode(), _errors(response)
    assert RubricCriterion.objects.filter(pk=criterion.pk).exists()


def test_only_a_platform_operator_changes_the_administering_organisation(world, client_for):
    EndorsementStep.objects.create(program=world.program, order=1, title="Supervisor")
    client = client_for(world.users["admin"])
    data = settings_data(
        world.program,
        assignment_types=["exchange"],
        administering_organization=world.outsider_org.pk,
    )
    response = client.post(reverse("programs:edit", args=[world.program.pk]), data)
    assert response.status_code == 302, _errors(response)
    world.program.refresh_from_db()
    assert world.program.administering_organization.name == "Gamma County"


def test_hosts_post_only_the_assignment_types_the_program_allows(world, client_for):
    world.program.assignment_types = ["secondment", "detail"]
    world.program.save()
    client = client_for(world.users["coord_a"])
    form = client.get(reverse("opportunities:create", args=[world.cycle.pk])).context["form"]
    assert [value for value, _label in form.fields["assignment_type"].choices] == [
        "detail",
        "secondment",
    ]
