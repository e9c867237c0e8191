"""Display logic for the audit trail page, kept out of templates and views."""

from __future__ import annotations

from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs
from django.utils.translation import gettext

from talent_exchange.core.rows import rows_html

from .trail import Change, Entry

SHOWN_CHARACTERS = 80  # of a value before and after a change; the CSV export has them whole

ENTRY_ROW = """
  <tr>
    <td data-label="{}"><time datetime="{}">{}</time></td>
    <td data-label="{}">{}</td>
    <td data-label="{}">{} <span class="usa-hint">#{}</span></td>
    <td data-label="{}">{}</td>
    <td data-label="{}">
      {}
      {}
    </td>
  </tr>
  """

CHANGE_ITEM = """
        <li><strong>{}</strong>: {}<ins>{}</ins></li>
      """


def _short(text: str) -> str:
    return Truncator(text).chars(SHOWN_CHARACTERS)


def _changes(changes: tuple[Change, ...]) -> SafeString | str:
    if not changes:
        return "—"
    items = format_html_join(
        "",
        CHANGE_ITEM,
        (
            (
                change.label,
                format_html("<del>{}</del> → ", _short(change.old)) if change.old else "",
                _short(change.new),
            )
            for change in changes
        ),
    )
    return format_html('<ul class="usa-list usa-list--unstyled">{}</ul>', items)


def entry_rows(entries: list[Entry]) -> SafeString:
    """The rows of the audit trail page (audit/log.html): when, who, which record, what was
    done, and what changed (each value cut at ``SHOWN_CHARACTERS``) with the reason."""
    labels = [
        gettext("When"),
        gettext("Who"),
        gettext("Record"),
        gettext("Action"),
        gettext("What changed"),
    ]
    rows = []
    for entry in entries:
        at = template_localtime(entry.at)
        rows.append(
            (
                labels[0],
                date_format(at, "c"),
                date_format(at, "Y-m-d H:i"),
                labels[1],
                entry.actor,
                labels[2],
                entry.object_label,
                localize(entry.object_id),
                labels[3],
                entry.action,
                labels[4],
                _changes(entry.changes),
                format_html('<p class="usa-hint">{}</p>', entry.reason) if entry.reason else "",
            )
        )
    return rows_html(ENTRY_ROW, rows)
