from datetime import date

import pytest
from django.urls import reverse

from talent_exchange.core.exceptions import ActionRefused
from talent_exchange.placements import services
from talent_exchange.placements.models import CheckIn, Evaluation, Outcome, Signature
from tests.factories import CycleFactory, PersonFactory, ProgramFactory, UserFactory

from .conftest import sign_all
from .factories import placement_in

pytestmark = pytest.mark.django_db

# Who sees the placement of Ada (City A) hosted by City B and coached by Bea (City B).
VIEW = {
    "admin": True,
    "coord_a": True,  # home
    "coord_b": True,  # host
    "supervisor": True,  # Ada's home supervisor
    "participant": True,  # Ada
    "coach": True,  # Bea
    "panelist": False,
    "board": False,
    "auditor": True,
    "nobody": False,
}
# role: (edit terms, sign, manage, close, record check-in, record outcome)
WRITE = {
    "admin": (True, False, True, True, True, True),
    "coord_a": (True, True, True, False, False, True),
    "coord_b": (True, True, True, False, False, True),
    "supervisor": (False, False, False, False, False, False),
    "participant": (False, True, False, False, True, False),
    "coach": (False, False, False, False, True, False),
    "auditor": (False, False, False, False, False, False),
}
PERMS = (
    "placements.change_agreement",
    "placements.sign_agreement",
    "placements.manage_placement",
    "placements.close_placement",
    "placements.record_checkin",
    "placements.record_outcome",
)


@pytest.mark.parametrize(("role", "allowed"), VIEW.items())
def test_who_sees_a_placement(world, placement, client_for, role, allowed):
    response = client_for(world.users[role]).get(reverse("placements:detail", args=[placement.pk]))
    assert response.status_code == (200 if allowed else 404)
    listed = client_for(world.users[role]).get(reverse("placements:list"))
    assert (placement.title in listed.content.decode()) is allowed


@pytest.mark.parametrize(("role", "expected"), WRITE.items())
def test_who_may_do_what(world, placement, role, expected):
    user = world.users[role]
    assert tuple(user.has_perm(p, placement) for p in PERMS) == expected


# Status of the program's results page: 403 for people who see the program but not its
# results, 404 for people who do not see the program at all.
RESULTS = {
    "admin": 200,
    "board": 200,
    "auditor": 200,
    "coord_a": 403,
    "supervisor": 403,
    "participant": 403,
    "panelist": 403,
    "nobody": 404,
}


@pytest.mark.parametrize(("role", "status"), RESULTS.items())
def test_who_reads_a_programs_results(world, placement, client_for, role, status):
    url = reverse("placements:results", args=[world.program.pk])
    assert client_for(world.users[role]).get(url).status_code == status


def test_a_board_reviewer_reads_only_their_own_programs_results(world, placement):
    other = ProgramFactory(name="Elsewhere", administering_organization=world.city_b)
    board = world.users["board"]
    assert board.has_perm("placements.view_program_results", world.program)
    assert not board.has_perm("placements.view_program_results", other)


def test_the_auditor_reads_but_cannot_write(world, placement, client_for):
    client = client_for(world.users["auditor"])
    assert client.get(reverse("placements:edit_agreement", args=[placement.pk])).status_code == 403
    response = client.post(reverse("placements:sign", args=[placement.pk]), {"party": "host"})
    assert response.status_code == 403
    assert not Signature.objects.exists()
    transition = reverse("placements:transition", args=[placement.pk, "activate"])
    assert client.post(transition).status_code == 403


def test_the_list_costs_the_same_for_many_rows(
    world, coach_user, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["admin"])
    placement_in(world)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("placements:list"))
    for i in range(6):
        person = PersonFactory(organization=world.city_a)
        placement_in(world, person=person, cycle=CycleFactory(program=world.program, name=f"c{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("placements:list"))
    assert response.content.decode().count('href="/placements/') >= 7


def test_the_detail_page_costs_a_fixed_number_of_queries(
    world, placement, client_for, django_assert_max_num_queries
):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    client = client_for(world.users["admin"])
    url = reverse("placements:detail", args=[placement.pk])
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    services.extend_placement(placement, world.users["admin"], date(2027, 9, 30), override=True)
    for i in range(3):
        services.add_objective(placement, world.users["participant"], f"Objective {i}", "Done")
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert "Objective 2" in response.content.decode()


def test_signing_behind_the_proxy_records_the_signers_address(
    world, placement, client_for, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client_for(world.users["participant"]).post(
        reverse("placements:sign", args=[placement.pk]),
        {"party": "participant"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )
    assert Signature.objects.get().ip_address == "198.51.100.7"


def test_signing_on_the_site_records_where_from(world, placement, client_for):
    client = client_for(world.users["participant"])
    response = client.post(
        reverse("placements:sign", args=[placement.pk]),
        {"party": "participant"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Test browser",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.party, signature.ip_address, signature.user_agent) == (
        "participant",
        "203.0.113.9",
        "Test browser",
    )
    # Signing for an organisation one does not coordinate is refused.
    assert (
        client.post(reverse("placements:sign", args=[placement.pk]), {"party": "host"}).status_code
        == 403
    )


def test_editing_terms_after_a_signature_asks_everyone_to_sign_again(world, placement, client_for):
    services.sign_agreement(placement, world.users["participant"], "participant")
    client = client_for(world.users["coord_a"])
    url = reverse("placements:edit_agreement", args=[placement.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["return_service_months"] = 24
    data["conflict_attested"] = ""
    response = client.post(url, data, follow=True)
    assert "every party signs again" in response.content.decode()
    placement.agreement.refresh_from_db()
    assert placement.agreement.version == 2
    data["salary_host_percent"] = 5
    response = client.post(url, data)
    assert "must add up to 100%" in response.content.decode()


def test_the_pdf_is_offered_once_signed(world, placement, client_for):
    client = client_for(world.users["participant"])
    url = reverse("placements:pdf", args=[placement.pk])
    assert client.get(url).status_code == 404
    sign_all(placement, world)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_evaluations_are_answered_by_their_respondent_only(world, placement, client_for):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    evaluation = placement.evaluations.get(stage="midpoint", respondent="host_supervisor")
    url = reverse("placements:evaluation", args=[placement.pk, evaluation.pk])
    assert client_for(world.users["participant"]).get(url).status_code == 403
    client = client_for(world.users["coach"])
    response = client.post(url, {"rating": 4, "comments": "Learning fast."})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.submitted_by == world.users["coach"]
    assert evaluation.rating == 4


def test_shared_lessons_and_results_pages(world, placement, client_for):
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    final = placement.evaluations.get(stage="final", respondent="participant")
    services.submit_evaluation(
        final,
        world.users["participant"],
        rating=5,
        comments="Great",
        lessons_learned="Brief the council early.",
        share_with_program=True,
    )
    private = placement.evaluations.get(stage="final", respondent="host_supervisor")
    services.submit_evaluation(
        private, world.users["coach"], rating=4, comments="x", lessons_learned="Keep it private."
    )
    page = client_for(world.users["coord_b"]).get(
        reverse("placements:lessons", args=[world.program.pk])
    )
    assert "Brief the council early." in page.content.decode()
    assert "Keep it private." not in page.content.decode()
    placement = services.record_return(placement, world.users["admin"], date(2027, 5, 1), "Analyst")
    outcome = placement.outcomes.get(months_after=6)
    with pytest.raises(ActionRefused, match="opens on"):
        services.record_outcome(outcome, world.users["coord_a"], promoted=True)
    services.record_outcome(
        outcome,
        world.users["coord_a"],
        today=outcome.opens_on,
        promoted=True,
        still_with_home=True,
        new_role=False,
    )
    url = reverse("placements:results", args=[world.program.pk])
    assert client_for(world.users["coord_a"]).get(url).status_code == 403
    response = client_for(world.users["admin"]).get(url)
    html = response.content.decode()
    assert 'role="img"' in html and "<title" in html
    promoted = next(r for r in response.context["outcome_rows"] if str(r["label"]) == "Promoted")
    assert promoted["counts"][0] == (6, 1, 1)
    new_role = next(
        r for r in response.context["outcome_rows"] if str(r["label"]) == "In a new role"
    )
    assert new_role["counts"][0] == (6, 0, 1)
    assert Outcome.objects.filter(recorded_at__isnull=False).count() == 1
    assert Evaluation.objects.shared_lessons().count() == 1


def test_dashboard_sections(world, placement, client_for):
    participant = client_for(world.users["participant"]).get(reverse("core:dashboard"))
    assert "sign the agreement" in participant.content.decode()
    coord = client_for(world.users["coord_b"]).get(reverse("core:dashboard"))
    assert "Agreements to sign" in coord.content.decode()
    sign_all(placement, world)
    placement = services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))
    placement.checkins.filter(due_on=date(2027, 3, 1)).update(due_on=date(2020, 1, 1))
    coach = client_for(world.users["coach"]).get(reverse("core:dashboard"))
    assert "Check-ins due" in coach.content.decode() and "Overdue" in coach.content.decode()
    admin = client_for(world.users["admin"]).get(reverse("core:dashboard"))
    assert "Placements needing attention" in admin.content.decode()
    assert "1 overdue check-in" in admin.content.decode()


@pytest.fixture
def active_placement(world, placement):
    sign_all(placement, world)
    return services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))


def test_the_back_office_shows_placements_read_only_to_the_auditor(world, placement, client_for):
    client = client_for(world.users["auditor"])
    assert client.get("/admin/placements/placement/").status_code == 200
    change = client.get(f"/admin/placements/placement/{placement.pk}/change/")
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    response = client.post(f"/admin/placements/placement/{placement.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(placement).objects.filter(pk=placement.pk).exists()


def test_the_extension_form_offers_the_override_to_administrators_only(
    world, active_placement, client_for
):
    url = reverse("placements:transition", args=[active_placement.pk, "extend"])
    assert "override" not in client_for(world.users["coord_a"]).get(url).context["form"].fields
    client = client_for(world.users["admin"])
    assert "override" in client.get(url).context["form"].fields
    response = client.post(url, {"new_end": "2027-06-30", "note": "More work", "override": "on"})
    assert response.status_code == 302
    active_placement.refresh_from_db()
    assert (active_placement.status, active_placement.end_date) == ("extended", date(2027, 6, 30))


def test_the_dashboards_cost_the_same_for_many_placements(
    world, coach_user, client_for, django_assert_max_num_queries
):
    def late_placement(person, cycle):
        placement = placement_in(world, person=person, cycle=cycle)
        services.sign_agreement(placement, person.user, "participant")
        services.sign_agreement(placement, world.users["coord_a"], "home")
        services.sign_agreement(placement, world.users["coord_b"], "host")
        return services.activate_placement(placement, world.users["admin"], today=date(2027, 2, 1))

    late_placement(world.person_a, world.cycle)
    CheckIn.objects.update(due_on=date(2020, 1, 1))  # every check-in is late
    counts = {}
    for role in ("admin", "coach", "coord_a", "participant"):
        client = client_for(world.users[role])
        with django_assert_max_num_queries(40) as queries:
            client.get(reverse("core:dashboard"))
        counts[role] = len(queries.captured_queries)
    for i in range(4):
        user = UserFactory(username=f"p{i}")
        late_placement(PersonFactory(organization=world.city_a, user=user), world.cycle)
    CheckIn.objects.update(due_on=date(2020, 1, 1))
    for role, count in counts.items():
        client = client_for(world.users[role])
        with django_assert_max_num_queries(count):
            response = client.get(reverse("core:dashboard"))
        assert response.status_code == 200
        if role == "admin":
            assert response.content.decode().count("overdue check-in") == 5
