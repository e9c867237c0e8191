"""A cycle's nominations list: its rows, written by nominations.presenters.nomination_rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.nominations.models import Endorsement, EndorsementDecision, Nomination
from talent_exchange.nominations.presenters import nomination_rows
from tests.factories import NominationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"


def _rows(*nominations):
    return list(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).for_rows())


def test_a_row_escapes_names_and_links_to_the_nomination(world):
    person = PersonFactory(organization=world.city_a, last_name=HOSTILE)
    nomination = NominationFactory(cycle=world.cycle, person=person)
    Endorsement.objects.create(
        nomination=nomination, order=1, title=HOSTILE, endorser=UserFactory()
    )
    html = nomination_rows(_rows(nomination))
    assert "<script>" not in html
    assert f"{person.first_name} {ESCAPED}</a>" in html
    assert f'<td data-label="Endorsement chain">{ESCAPED}: pending</td>' in html
    assert f'href="{reverse("nominations:detail", args=[nomination.pk])}"' in html
    assert '<td data-label="Profile confirmed">not yet</td>' in html


def test_the_chain_in_order_and_the_confirmation_date_in_one_query(
    world, django_assert_num_queries
):
    nomination = NominationFactory(
        cycle=world.cycle, profile_confirmed_at=datetime(2026, 11, 12, 15, tzinfo=UTC)
    )
    bare = NominationFactory(cycle=world.cycle)
    for order, title, decision in [
        (2, "Director", EndorsementDecision.PENDING),
        (1, "Manager", EndorsementDecision.ENDORSED),
    ]:
        Endorsement.objects.create(
            nomination=nomination,
            order=order,
            title=title,
            decision=decision,
            endorser=UserFactory(),
        )
    rows = _rows(nomination, bare)
    with django_assert_num_queries(1):
        html = nomination_rows(rows)
    assert "Manager: endorsed; Director: pending</td>" in html
    assert '<td data-label="Endorsement chain">—</td>' in html
    assert "12 Nov 2026</td>" in html


def test_the_labels_follow_the_language(world):
    nomination = NominationFactory(cycle=world.cycle)
    Endorsement.objects.create(nomination=nomination, order=1, title="Chef", endorser=UserFactory())
    with translation.override("fr"):
        html = nomination_rows(_rows(nomination))
    for label in ("Personne candidate", "Chaîne d’appui", "Profil confirmé"):
        assert f'data-label="{label}"' in html
    assert "Chef: en attente</td>" in html
    assert ">pas encore</td>" in html
