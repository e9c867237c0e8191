"""Fetch and check in one call (core.permissions): 404 outside the user's scope, 403 when the
user sees the object but may not act on it, and the object fetched once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from talent_exchange.core.permissions import (
    declared_permission,
    get_for_user,
    permission_for_object,
    require,
)
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.opportunities.tests.factories import OpportunityFactory
from tests.factories import OrganizationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """A draft and an approved opportunity of one host; a coordinator of the host and one of
    another organisation of the program."""
    draft = OpportunityFactory(status="draft")
    approved = OpportunityFactory(
        cycle=draft.cycle, host_organization=draft.host_organization, status="approved"
    )
    other = OrganizationFactory()
    draft.cycle.program.participating_organizations.add(draft.host_organization, other)
    host, outsider = UserFactory(), UserFactory()
    grant(host, "coordinator", organization=draft.host_organization)
    grant(outsider, "coordinator", organization=other)
    return draft, approved, host, outsider


def test_outside_the_scope_is_not_found(setting):
    draft, _approved, _host, outsider = setting
    with pytest.raises(Http404):
        get_for_user(Opportunity, outsider, draft.pk, "opportunities.view_opportunity")


def test_visible_but_not_allowed_is_forbidden(setting):
    _draft, approved, _host, outsider = setting
    with pytest.raises(PermissionDenied):
        get_for_user(Opportunity, outsider, approved.pk, "opportunities.change_opportunity")


def test_allowed_returns_the_object(setting):
    draft, _approved, host, _outsider = setting
    found = get_for_user(
        Opportunity.objects.with_card(), host, draft.pk, "opportunities.change_opportunity"
    )
    assert found == draft


def test_the_view_gets_the_object_fetched_once(setting):
    draft, _approved, host, _outsider = setting
    seen = []

    @permission_for_object("opportunities.change_opportunity", Opportunity)
    def view(request, opportunity):
        seen.append(opportunity)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = host
    with CaptureQueriesContext(connection) as queries:
        view(request, pk=draft.pk)
    fetches = [q for q in queries if 'FROM "opportunities_opportunity"' in q["sql"]]
    assert seen == [draft]
    assert len(fetches) == 1
    assert declared_permission(view) == "opportunities.change_opportunity"


def test_require_refuses_with_the_message(setting):
    draft, _approved, _host, outsider = setting
    with pytest.raises(PermissionDenied, match="Only the host"):
        require(outsider, "opportunities.change_opportunity", draft, "Only the host.")


def test_an_object_fetched_in_scope_is_not_looked_up_again_and_only_for_that_user(world):
    """``get_for_user`` notes that the object came from ``visible_to(user)``; the rules "the
    user sees it" then answer without asking the database again — for that user only. The
    answers are the same as without the note, for every user of the world."""
    from django.contrib.auth.models import AnonymousUser

    from talent_exchange.core.permissions import in_scope
    from talent_exchange.nominations.models import Nomination
    from talent_exchange.nominations.tests.factories import NominationFactory

    nominations = [
        NominationFactory(cycle=world.cycle, person=world.person_a),
        NominationFactory(cycle=world.cycle, person=world.person_b),
    ]
    perm = "nominations.view_nomination"
    for user in world.users.values():
        for nomination in nominations:
            plain = Nomination.objects.get(pk=nomination.pk)
            assert not in_scope(plain, user)
            allowed = user.has_perm(perm, plain)
            try:
                fetched = get_for_user(Nomination, user, nomination.pk, perm)
            except (Http404, PermissionDenied):
                assert not allowed, (user, nomination)
                continue
            assert allowed and in_scope(fetched, user)
            with CaptureQueriesContext(connection) as asked:
                assert user.has_perm(perm, fetched)
            assert not any("UNION" in q["sql"] for q in asked.captured_queries)
            others = [u for u in world.users.values() if u != user]
            assert not any(in_scope(fetched, other) for other in others)
            assert not in_scope(fetched, AnonymousUser())


def test_an_approved_opportunity_fetched_in_scope_needs_no_second_look_at_its_program(world):
    """``Opportunity.objects.visible_to`` keeps to the programs the user sees, so an
    opportunity read through it answers "its program is visible" at once; the answers are
    those of the full rule for every user."""
    from talent_exchange.core.permissions import in_scope

    opportunities = [
        OpportunityFactory(cycle=world.cycle, host_organization=world.city_a, status="approved"),
        OpportunityFactory(cycle=world.cycle, host_organization=world.city_b, status="draft"),
        OpportunityFactory(host_organization=world.outsider_org, status="approved"),
    ]
    perm = "opportunities.view_opportunity"
    for user in world.users.values():
        for opportunity in opportunities:
            allowed = user.has_perm(perm, Opportunity.objects.get(pk=opportunity.pk))
            try:
                fetched = get_for_user(Opportunity, user, opportunity.pk, perm)
            except (Http404, PermissionDenied):
                assert not allowed, (user, opportunity)
                continue
            assert allowed and in_scope(fetched, user)
            with CaptureQueriesContext(connection) as asked:
                assert user.has_perm(perm, fetched)
            assert not any("programs_program" in q["sql"] for q in asked.captured_queries)
