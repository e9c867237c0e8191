"""Forum topics in both languages (issue 15, item 4): a session's or series' title and topic,
and a community thread's title, are entered in English and French and shown in the reader's
language, the other one when a version is missing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from talent_exchange.learning.models import Series, Thread
from talent_exchange.learning.tests.factories import SessionFactory, ThreadFactory, cohort
from talent_exchange.learning.tests.test_views import _series_data

pytestmark = pytest.mark.django_db


def test_each_reader_sees_their_language_and_the_other_when_missing():
    session = SessionFactory(
        title="Budget clinic",
        title_fr="Atelier budgétaire",
        topic="Capital plans",
        topic_fr="",
    )
    thread = ThreadFactory(title="Month one", title_fr="Premier mois")
    with translation.override("fr"):
        assert session.local_title == str(session) == "Atelier budgétaire"
        assert session.local_topic == "Capital plans"  # no French topic: the one written
        assert str(thread) == "Premier mois"
    with translation.override("en"):
        assert session.local_title == "Budget clinic"
        assert str(thread) == "Month one"


def test_a_series_takes_both_languages_and_gives_them_to_its_sessions(world, client_for):
    admin = client_for(world.users["admin"])
    data = _series_data(
        world, title_fr="Séance de soutien mensuelle", topic="Budgets", topic_fr="Les budgets"
    )
    response = admin.post(reverse("learning:series_create", args=[world.program.pk]), data)
    assert response.status_code == 302
    series = Series.objects.get()
    assert (series.title_fr, series.topic_fr) == ("Séance de soutien mensuelle", "Les budgets")
    session = series.sessions.first()
    assert (session.title_fr, session.topic_fr) == ("Séance de soutien mensuelle", "Les budgets")
    reader = world.users["admin"]
    reader.language = "fr"
    reader.save()
    page = admin.get(reverse("learning:session", args=[session.pk])).content.decode()
    assert "<h1>Séance de soutien mensuelle</h1>" in page and "Les budgets" in page
    assert "<h1>Monthly support session" not in page


def test_a_thread_title_in_both_languages_through_the_pages(world, client_for):
    cohort(world, [world.person_a])
    participant = world.users["participant"]
    ada = client_for(participant)
    ada.post(
        reverse("learning:thread_create", args=[world.program.pk]),
        {
            "cycle": world.cycle.pk,
            "title": "Month one",
            "title_fr": "Premier mois",
            "body": "How is it going?",
        },
    )
    thread = Thread.objects.get()
    assert thread.title_fr == "Premier mois"
    forum = reverse("learning:cycle_forum", args=[world.cycle.pk])
    assert "Month one</a>" in ada.get(forum).content.decode()
    participant.language = "fr"
    participant.save()
    assert "Premier mois</a>" in ada.get(forum).content.decode()
    page = ada.get(reverse("learning:thread", args=[thread.pk])).content.decode()
    assert "<h1>Premier mois</h1>" in page
