"""The project's select template writes its options inline (a 500-organisation filter cost
30 ms of CPU per page through Django's per-option template): the same HTML as Django's but
for blank lines."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from talent_exchange.core.forms import USWDSFormRenderer


def _normal(html: str) -> str:
    return re.sub(r"\s*\n\s*", "\n", html).strip()


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=[("", "Any"), (1, "A <b> & c"), (7, "Seven")]), 7),
        (forms.Select(choices=[("Group", [(1, "One"), (2, "Two")]), (3, "Three")]), 2),
        (forms.SelectMultiple(choices=[(1, "One"), (2, "Two"), (3, "Three")]), [1, 3]),
        (forms.Select(choices=[(1, "One")], attrs={"class": "usa-select", "disabled": True}), 1),
    ],
)
def test_the_inline_select_renders_as_djangos(widget, value):
    ours = widget.render("field", value, renderer=USWDSFormRenderer())
    djangos = widget.render("field", value, renderer=DjangoTemplates())
    assert _normal(ours) == _normal(djangos)
    assert " selected>" in ours
