"""Dates, numbers and money in the reader's locale: en (United States), en-ca, fr (Canada)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

NBSP = "\xa0"

TEMPLATE = Template(
    "{% load locale_formats %}{{ day }} | {{ day|date:'SHORT_DATE_FORMAT' }} | {{ at|time }} | "
    "{{ amount|money:'CAD' }} | {{ amount|money:'USD' }} | {{ share|percent }} | {{ ratio }}"
)
CONTEXT = {
    "day": datetime.date(2026, 1, 31),
    "at": datetime.time(13, 40),
    "amount": Decimal("1234.5"),
    "share": 50,
    "ratio": 0.25,
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Jan. 31, 2026 | 01/31/2026 | 1:40 p.m. | CA$1,234.50 | $1,234.50 | 50% | 0.25",
        ),
        (
            "en-ca",
            f"31 Jan 2026 | 2026-01-31 | 1:40 p.m. | $1{NBSP}234.50 | US$1{NBSP}234.50 | 50% "
            "| 0.25",
        ),
        (
            "fr",
            f"31 janvier 2026 | 2026-01-31 | 13{NBSP}h{NBSP}40 | 1{NBSP}234,50{NBSP}$ | "
            f"1{NBSP}234,50{NBSP}${NBSP}US | 50{NBSP}% | 0,25",
        ),
    ],
)
def test_each_locale_writes_dates_numbers_and_money_its_own_way(language, expected):
    with translation.override(language):
        assert TEMPLATE.render(Context(CONTEXT)) == expected


def test_nothing_to_show_stays_empty():
    assert (
        Template("{% load locale_formats %}[{{ x|money }}{{ x|percent }}]").render(
            Context({"x": None})
        )
        == "[]"
    )


@pytest.mark.django_db
def test_canadian_english_is_offered_and_named(client):
    page = client.get("/accounts/login/", headers={"accept-language": "en-CA"}).content.decode()
    assert '<html lang="en-ca">' in page
    assert '<option value="en-ca" lang="en-ca" selected>English (Canada)</option>' in page
