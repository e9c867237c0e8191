"""The people-and-roles pages of a program and of an organisation, and taking a role back."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from talent_exchange.accounts.models import RoleGrant, User
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def _program_page(world):
    return reverse("accounts:program_roles", args=[world.program.pk])


def _org_page(org):
    return reverse("accounts:organization_roles", args=[org.pk])


def test_the_program_page_lists_who_holds_which_role_and_when_last_active(world, client_for):
    content = client_for(world.users["admin"]).get(_program_page(world)).content.decode()
    for name in ("admin", "coord_a", "coord_b", "supervisor", "panelist", "board"):
        assert f"{name}@example.org" in content, name
    assert "auditor@example.org" not in content  # held everywhere, not in this program
    assert "Never (invited)" in content  # the factory's users have never signed in


def test_the_list_is_filtered_by_role(world, client_for):
    response = client_for(world.users["admin"]).get(
        _program_page(world), {"filter-role": "panelist"}
    )
    content = response.content.decode()
    assert "panelist@example.org" in content and "coord_a@example.org" not in content


def test_the_page_costs_the_same_for_five_and_fifty_holders(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.users["admin"])
    url = _program_page(world)
    client.get(url)  # session, caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(50):
        grant(UserFactory(username=f"extra{i}"), "coordinator", organization=world.city_b)
    assert count() == few


def test_an_administrator_invites_a_coordinator_from_the_program_page(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _program_page(world),
            {
                "role": "coordinator",
                "organization": world.city_b.pk,
                "person": "bo.new@example.org",
                "reason": "Second coordinator for City B",
            },
            follow=True,
        )
    assert "An invitation to choose a password was e-mailed to bo.new@example.org" in (
        response.content.decode()
    )
    account = User.objects.get(email="bo.new@example.org")
    assert RoleGrant.objects.active().filter(user=account, organization=world.city_b).exists()
    assert mail.outbox[0].to == ["bo.new@example.org"]


def test_bad_input_gets_a_message_and_writes_nothing(world, client_for):
    client = client_for(world.users["admin"])
    before = (User.objects.count(), RoleGrant.objects.count())
    cases = [
        (
            {"role": "coordinator", "organization": world.city_a.pk, "person": "not an address"},
            "enter their e-mail address",
        ),
        (
            {"role": "coordinator", "organization": world.city_a.pk, "person": "coord_a"},
            "already Organisation coordinator of City of Alpha",
        ),
        ({"role": "coordinator", "person": "x@example.org"}, "Choose the organisation."),
        ({"role": "panelist", "person": "x@example.org"}, "Choose the cycle."),
        (
            {
                "role": "coordinator",
                "organization": world.outsider_org.pk,
                "person": "x@example.org",
            },
            "Select a valid choice",
        ),
    ]
    for data, message in cases:
        response = client.post(_program_page(world), {"reason": "Because", **data})
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert (User.objects.count(), RoleGrant.objects.count()) == before


def test_a_person_of_another_organisation_needs_a_confirmation(world, client_for):
    client = client_for(world.users["admin"])
    data = {
        "role": "supervisor",
        "organization": world.city_a.pk,
        "person": "coord_b@example.org",
        "reason": "Covers both cities",
    }
    asked = client.post(_program_page(world), data).content.decode()
    assert "another organisation" in asked and 'type="checkbox" name="confirm"' in asked
    assert not RoleGrant.objects.filter(user=world.users["coord_b"], role="supervisor").exists()
    client.post(_program_page(world), {**data, "confirm": "on"})
    assert RoleGrant.objects.filter(user=world.users["coord_b"], role="supervisor").exists()


def _refusals(page: str) -> list[str]:
    """The messages of the error summary at the top of a form (includes/error_summary.html)
    that belong to no field: where every form page shows a refused action."""
    summary = re.search(
        r'<div class="usa-alert usa-alert--error"[^>]*id="error-summary">(.*?)</ul>', page, re.S
    )
    assert summary is not None, "no error summary on the page"
    return [item.strip() for item in re.findall(r"<li>([^<]*)</li>", summary.group(1))]


def test_a_refused_grant_is_shown_like_every_other_refused_action(world, client_for):
    """Issue 9, item 2: the grant form goes through ``perform_form``, so a refusal of the
    service reads as on every other form page (here: taking back the last administrator),
    at the top of the form, which keeps what was typed, and nothing is written."""
    client = client_for(world.users["admin"])
    before = RoleGrant.objects.count()
    granted = client.post(
        _program_page(world),
        {
            "role": "coordinator",
            "organization": world.city_a.pk,
            "person": "coord_a",
            "reason": "Twice",
        },
    )
    last_admin = RoleGrant.objects.get(user=world.users["admin"], role="program_admin")
    revoked = client.post(reverse("accounts:revoke", args=[last_admin.pk]), {"reason": "Leaving"})
    assert granted.status_code == revoked.status_code == 200
    grant_refusals = _refusals(granted.content.decode())
    revoke_refusals = _refusals(revoked.content.decode())
    assert len(grant_refusals) == len(revoke_refusals) == 1
    assert "is already Organisation coordinator of City of Alpha" in grant_refusals[0]
    assert "is the last administrator" in revoke_refusals[0]
    assert 'value="coord_a"' in granted.content.decode() and "Twice" in granted.content.decode()
    assert RoleGrant.objects.count() == before
    last_admin.refresh_from_db()
    assert last_admin.revoked_at is None


def test_a_double_submit_gives_one_role(world, client_for):
    client = client_for(world.users["admin"])
    data = {
        "role": "board_reviewer",
        "person": "coord_a",
        "reason": "Joins the board",
        "submission_key": "a" * 32,
    }
    first = client.post(_program_page(world), data)
    second = client.post(_program_page(world), data)
    assert first.status_code == second.status_code == 302
    assert RoleGrant.objects.filter(user=world.users["coord_a"], role="board_reviewer").count() == 1


def test_a_coordinator_gives_roles_on_their_organisation_page(world, client_for):
    client = client_for(world.users["coord_a"])
    page = client.get(_org_page(world.city_a)).content.decode()
    assert "Give a role" in page and "supervisor@example.org" in page
    client.post(
        _org_page(world.city_a),
        {"role": "coordinator", "person": "participant", "reason": "Deputy"},
    )
    assert (
        RoleGrant.objects.active()
        .filter(user=world.users["participant"], role="coordinator", organization=world.city_a)
        .exists()
    )


def test_a_coordinator_of_another_organisation_is_refused_with_a_reason(world, client_for):
    response = client_for(world.users["coord_a"]).post(
        _org_page(world.city_b), {"role": "coordinator", "person": "x@example.org", "reason": "x"}
    )
    assert response.status_code == 403
    assert "Only the organisation&#x27;s coordinators" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_an_auditor_sees_the_roles_but_gives_none(world, client_for):
    client = client_for(world.users["auditor"])
    page = client.get(_program_page(world))
    assert page.status_code == 200 and "Give a role" not in page.content.decode()
    response = client.post(
        _program_page(world), {"role": "board_reviewer", "person": "coord_a", "reason": "x"}
    )
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(role="board_reviewer", user=world.users["coord_a"]).exists()


def test_taking_a_role_back(world, client_for):
    target = RoleGrant.objects.get(user=world.users["coord_b"])
    client = client_for(world.users["admin"])
    url = reverse("accounts:revoke", args=[target.pk])
    page = client.get(url, {"next": _program_page(world)})
    assert "will no longer be Organisation coordinator (City of Beta)" in page.content.decode()
    empty = client.post(url, {"reason": ""})
    assert "This field is required" in empty.content.decode()
    target.refresh_from_db()
    assert target.revoked_at is None
    done = client.post(url, {"reason": "Moved on", "next": _program_page(world)})
    assert done.status_code == 302 and done["Location"] == _program_page(world)
    target.refresh_from_db()
    assert target.revoke_reason == "Moved on"
    # Already taken back: not offered any more.
    assert client.post(url, {"reason": "Again"}).status_code == 403


def test_the_program_page_links_to_people_and_roles(world, client_for):
    detail = reverse("programs:detail", args=[world.program.pk])
    assert _program_page(world) in client_for(world.users["admin"]).get(detail).content.decode()
    assert (
        _program_page(world) not in client_for(world.users["coord_a"]).get(detail).content.decode()
    )
    org_detail = reverse("organizations:detail", args=[world.city_a.pk])
    assert (
        _org_page(world.city_a)
        in client_for(world.users["coord_a"]).get(org_detail).content.decode()
    )
