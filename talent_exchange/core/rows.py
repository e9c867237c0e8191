"""The rows of a list page's table, written in Python.

A list page shows 25 rows of four to seven cells each; through Django's template engine
each cell cost a ``{% translate %}`` for its ``data-label``, a ``{% url %}`` per link and a
lookup per value, about 5 ms of CPU per page. A list's presenter writes its rows with
``format_html`` instead: the labels translated once, the links from one ``reverse``. The
table around them (caption, headers) stays in the template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

_MARKER = 9_876_543_210


def url_for_pk(view_name: str) -> Callable[[Any], str]:
    """``reverse(view_name, args=[pk])`` for every row of a page at the cost of one
    ``reverse``: the URL's text around the key is kept."""
    before, after = reverse(view_name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{before}{int(pk)}{after}"


def first_names(relation: Any, ids: Iterable[int], limit: int) -> dict[int, list[str]]:
    """For a many-to-many ``relation`` (``Person.skills``), the ``name`` of the first
    ``limit`` related objects of each of ``ids``, by name, in one query of names: a list
    shows a few of each row's skills, and loading them all as objects cost more than the
    rest of the page's rows."""
    field = relation.field
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    names: dict[int, list[str]] = {}
    pairs = (
        relation.through.objects.filter(**{f"{source}_id__in": list(ids)})
        .order_by(f"{target}__name")
        .values_list(f"{source}_id", f"{target}__name")
    )
    for owner_id, name in pairs:
        held = names.setdefault(owner_id, [])
        if len(held) < limit:
            held.append(name)
    return names


def rows_html(row: str, cells: Iterable[tuple[Any, ...]]) -> SafeString:
    """Each row is ``row`` (a ``format_html`` string) filled with one tuple of ``cells``
    (escaped unless safe)."""
    return format_html_join("", row, cells)
