"""The ranking pages' list, written in Python (ADR 0022).

A participant's ranking page is among the pages most clicked; through the template engine
each ranked choice cost a dozen lookups, three ``{% if %}`` and, with the buttons, three
more labels: about a third of the page's CPU. ``ranking_items`` writes the same items with
``format_html``, the labels translated once per page; the list around them (heading,
pagination, the form to add a choice) stays in ``preferences/_ranking_body.html``.
``preferences/tests/test_ranking_items.py`` holds them to the template's HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from talent_exchange.core.rows import rows_html

ITEM = """
    <li class="te-ranking__item" id="choice-{}">
      <span class="te-ranking__rank" aria-hidden="true">{}</span>
      <div class="te-ranking__text"><span class="usa-sr-only">{} </span><strong>{}</strong>{}</div>
      {}
    </li>
    """

ACTIONS = """
      <div class="te-ranking__actions">
        {}
        {}
        {}
      </div>
      """

BUTTON = (
    '<button type="submit" class="usa-button usa-button--{}" name="action" value="{}:{}"{}{}>'
    '{}<span class="usa-sr-only"> {}</span></button>'
)

DISABLED = mark_safe(" disabled")
AUTOFOCUS = mark_safe(" autofocus")
NOTHING = mark_safe("")


def _label(message: str) -> SafeString:
    """A label as ``{% translate %}`` gives it: a translation is the catalogue's text, safe."""
    return mark_safe(gettext(message))  # noqa: S308 (our catalogue, as the template tag does)


def ranking_items(rows: list[dict[str, Any]], *, may_rank: bool, total: int) -> SafeString:
    """The ``<li>`` of each ranked choice of a page: its rank, label and detail, and with
    ``may_rank`` its buttons to move it up or down or remove it (the first cannot go up, the
    last of the whole list down; ``focus`` names the button that takes the keyboard focus).
    Each row is a dict of ``id``, ``rank``, ``number``, ``label``, ``detail``, ``focus``."""
    if may_rank:
        up, down, remove = _label("Move up"), _label("Move down"), _label("Remove")

    def actions(row: dict[str, Any]) -> SafeString:
        if not may_rank:
            return NOTHING
        pk, rank, focus, label = int(row["id"]), row["rank"], row["focus"], row["label"]
        return format_html(
            ACTIONS,
            format_html(
                BUTTON,
                "outline",
                "up",
                pk,
                DISABLED if rank == 1 else NOTHING,
                AUTOFOCUS if focus == "up" else NOTHING,
                up,
                label,
            ),
            format_html(
                BUTTON,
                "outline",
                "down",
                pk,
                DISABLED if rank == total else NOTHING,
                AUTOFOCUS if focus == "down" else NOTHING,
                down,
                label,
            ),
            format_html(BUTTON, "secondary", "remove", pk, NOTHING, NOTHING, remove, label),
        )

    return rows_html(
        ITEM,
        (
            (
                int(row["id"]),
                row["rank"],
                row["number"],
                row["label"],
                format_html('<br><span class="usa-hint">{}</span>', row["detail"])
                if row["detail"]
                else NOTHING,
                actions(row),
            )
            for row in rows
        ),
    )


def choice_options(choices: Iterable[tuple[int, str]]) -> SafeString:
    """The ``<option>`` of each choice that may be added to the list."""
    return rows_html('<option value="{}">{}</option>', ((int(pk), label) for pk, label in choices))
