"""nominations.access: a participant's own nomination is read without visible_to's union,
and every user gets what get_for_user gives (the object, 404 or 403) for every nomination."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from talent_exchange.accounts.roles import roles_of
from talent_exchange.accounts.tests.factories import grant
from talent_exchange.core.permissions import get_for_user, in_scope
from talent_exchange.nominations.access import get_nomination_for_user
from talent_exchange.nominations.models import Nomination, NominationStatus
from talent_exchange.nominations.tests.factories import NominationFactory
from talent_exchange.programs.tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

PERMS = ["nominations.view_nomination", "preferences.view_participant_ranking"]
QUERYSET = Nomination.objects.with_card()


def _outcome(fetch, *args):
    try:
        return fetch(*args).pk
    except Http404:
        return 404
    except PermissionDenied:
        return 403


@pytest.fixture
def nominations(world):
    supervisor = world.users["supervisor"]
    grant(supervisor, "participant")  # a participant who also supervises the participant
    later = CycleFactory(program=world.program, name="2028")
    return [
        NominationFactory(cycle=world.cycle, person=world.person_a),
        NominationFactory(cycle=later, person=world.person_a, status=NominationStatus.WITHDRAWN),
        NominationFactory(cycle=world.cycle, person=world.person_b),
        NominationFactory(cycle=world.cycle, person=world.outsider),
        NominationFactory(cycle=world.cycle, person=supervisor.person),
    ]


@pytest.mark.parametrize("perm", PERMS)
def test_every_user_gets_what_get_for_user_gives(world, nominations, perm):
    for user in world.users.values():
        for nomination in nominations:
            expected = _outcome(get_for_user, QUERYSET, user, nomination.pk, perm)
            assert _outcome(get_nomination_for_user, QUERYSET, user, nomination.pk, perm) == (
                expected
            ), (user.username, nomination.person)


def test_the_own_nomination_is_read_in_one_simple_statement_and_noted_as_seen(world, nominations):
    user = world.users["participant"]
    roles_of(user)
    with CaptureQueriesContext(connection) as own:
        nomination = get_nomination_for_user(
            QUERYSET, user, nominations[0].pk, "nominations.view_nomination"
        )
    assert nomination == nominations[0] and in_scope(nomination, user)
    assert nomination.cycle.program == world.program  # what the queryset reads with it
    assert "UNION" not in own.captured_queries[0]["sql"].upper()
    with CaptureQueriesContext(connection) as other, pytest.raises(Http404):
        get_nomination_for_user(QUERYSET, user, nominations[3].pk, "nominations.view_nomination")
    # someone else's: the short way finds nothing, then the whole scope as before
    assert "UNION" in other.captured_queries[-1]["sql"].upper()
