"""A ranking page's list, written by preferences.presenters (ranking_items, choice_options):
the HTML the template's loop gave, to the byte, and the page's queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from talent_exchange.opportunities.tests.factories import OpportunityFactory
from talent_exchange.preferences.models import ParticipantRanking
from talent_exchange.preferences.presenters import choice_options, ranking_items

HOSTILE = '<script>alert("x")</script>&\'"'

# The loop of preferences/_ranking_body.html before the presenter wrote it.
TEMPLATE_LOOP = """{% load i18n %}
    {% translate "Move up" as move_up %}{% translate "Move down" as move_down %}{% translate "Remove" as remove %}
    {% for row in rows %}
    <li class="te-ranking__item" id="choice-{{ row.id }}">
      <span class="te-ranking__rank" aria-hidden="true">{{ row.rank }}</span>
      <div class="te-ranking__text"><span class="usa-sr-only">{{ row.number }} </span><strong>{{ row.label }}</strong>{% if row.detail %}<br><span class="usa-hint">{{ row.detail }}</span>{% endif %}</div>
      {% if may_rank %}
      <div class="te-ranking__actions">
        <button type="submit" class="usa-button usa-button--outline" name="action" value="up:{{ row.id }}"{% if row.rank == 1 %} disabled{% endif %}{% if row.focus == "up" %} autofocus{% endif %}>{{ move_up }}<span class="usa-sr-only"> {{ row.label }}</span></button>
        <button type="submit" class="usa-button usa-button--outline" name="action" value="down:{{ row.id }}"{% if row.rank == rows_total %} disabled{% endif %}{% if row.focus == "down" %} autofocus{% endif %}>{{ move_down }}<span class="usa-sr-only"> {{ row.label }}</span></button>
        <button type="submit" class="usa-button usa-button--secondary" name="action" value="remove:{{ row.id }}">{{ remove }}<span class="usa-sr-only"> {{ row.label }}</span></button>
      </div>
      {% endif %}
    </li>
    {% endfor %}
"""  # noqa: E501 (the template's lines as they were)

TEMPLATE_OPTIONS = (
    '{% for id, label in choices %}<option value="{{ id }}">{{ label }}</option>{% endfor %}'
)


def _rows(start: int, labels: list[str], focus: dict[int, str]) -> list[dict]:
    return [
        {
            "id": 1000 + rank,
            "rank": rank,
            "number": f"Number {rank}:",
            "label": label,
            "detail": "" if rank % 3 == 0 else f"{label} · 3 months",
            "focus": focus.get(rank, ""),
        }
        for rank, label in enumerate(labels, start=start)
    ]


CASES = [
    # (first rank on the page, labels, focused buttons, length of the whole list)
    (1, ["Beta parks — City of Beta"], {}, 1),
    (1, ["Alpha", HOSTILE, "Gamma"], {2: "up"}, 3),
    (1, ["Alpha", "Beta", "Gamma", "Delta"], {1: "down"}, 4),
    (51, [HOSTILE, "Last"], {52: "up"}, 52),  # a second page: its last is the list's last
    (1, [], {}, 0),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("may_rank", [True, False])
@pytest.mark.parametrize(("start", "labels", "focus", "total"), CASES)
def test_the_items_are_the_templates_html(language, may_rank, start, labels, focus, total):
    rows = _rows(start, labels, focus)
    loop = engines["django"].from_string(TEMPLATE_LOOP)
    with translation.override(language):
        by_template = loop.render({"rows": rows, "may_rank": may_rank, "rows_total": total})
        items = ranking_items(rows, may_rank=may_rank, total=total)
    assert "\n    \n    " + items + "\n" == by_template


def test_the_items_escape_labels_and_details_and_translate_the_buttons():
    rows = _rows(1, [HOSTILE, "Beta"], {1: "down"})
    with translation.override("fr"):
        html = ranking_items(rows, may_rank=True, total=2)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count(">Monter<span") == 2 and html.count(">Retirer<span") == 2
    assert 'value="up:1001" disabled>' in html  # the first cannot go up
    assert 'value="down:1002" disabled>' in html  # the last cannot go down
    assert 'value="down:1001" autofocus>' in html
    assert ranking_items(rows, may_rank=False, total=2).count("<button") == 0


def test_the_options_are_the_templates_html():
    choices = [(7, HOSTILE), (12, "Beta parks — City of Beta")]
    by_template = engines["django"].from_string(TEMPLATE_OPTIONS).render({"choices": choices})
    assert choice_options(choices) == by_template
    assert choice_options([]) == ""


@pytest.fixture
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 22))


def _rank(nomination, opportunities) -> None:
    ParticipantRanking.objects.bulk_create(
        ParticipantRanking(nomination=nomination, opportunity=o, rank=rank)
        for rank, o in enumerate(opportunities, start=1)
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("_today")
def test_a_participants_page_costs_the_same_queries_for_2_and_30_ranked(
    market, client_for, django_assert_max_num_queries
):
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    _rank(m.nom_a, [m.opp_b1, m.opp_county])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    more = [
        OpportunityFactory(cycle=m.world.cycle, host_organization=m.world.city_b) for _ in range(28)
    ]
    ParticipantRanking.objects.filter(nomination=m.nom_a).delete()
    _rank(m.nom_a, [m.opp_b1, m.opp_county, *more])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('class="te-ranking__item"') == 30


@pytest.mark.django_db
def test_a_closed_list_does_not_look_for_choices_to_add(
    market, client_for, monkeypatch, django_assert_max_num_queries
):
    """After the deadline the participant sees their list without the form to add to it:
    the choices are not read (two statements fewer)."""
    m = market
    client = client_for(m.world.users["participant"])
    url = reverse("preferences:participant", args=[m.nom_a.pk])
    _rank(m.nom_a, [m.opp_b1])
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 22))
    with django_assert_max_num_queries(40) as open_list:
        assert "Add to the list" in client.get(url).content.decode()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 6))
    with django_assert_max_num_queries(40) as closed:
        page = client.get(url).content.decode()
    assert "Add to the list" not in page and "Beta parks" in page
    assert len(closed.captured_queries) <= len(open_list.captured_queries) - 1
    assert not any(
        "opportunities_opportunity" in q["sql"] and "COUNT" in q["sql"]
        for q in closed.captured_queries
    )
