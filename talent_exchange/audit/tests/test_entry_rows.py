"""The audit trail page's rows, written by audit.presenters.entry_rows."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation

from talent_exchange.audit.presenters import entry_rows
from talent_exchange.audit.trail import Change, Entry

HOSTILE = '<script>alert("x")</script>&'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"


def _entry(**overrides) -> Entry:
    values = {
        "at": datetime(2026, 12, 2, 21, 5, 7, tzinfo=UTC),
        "actor": "Ada Admin (ada)",
        "kind": "person",
        "kind_label": "People",
        "object_id": 1234,
        "object_label": "Bea Beta",
        "action": "Changed",
        "changes": (),
        "reason": "",
    }
    values.update(overrides)
    return Entry(**values)


def test_a_row_escapes_names_values_and_reasons():
    html = entry_rows(
        [
            _entry(
                actor=HOSTILE,
                object_label=HOSTILE,
                reason=HOSTILE,
                changes=(Change("last_name", HOSTILE, HOSTILE, label=HOSTILE),),
            )
        ]
    )
    assert "<script>" not in html
    assert html.count(ESCAPED) == 6  # actor, record, reason, field, before, after
    assert f'<p class="usa-hint">{ESCAPED}</p>' in html


def test_when_changes_and_long_values():
    long = "x" * 100
    html = entry_rows(
        [
            _entry(
                changes=(
                    Change("position_title", "", "Analyst", label="position"),
                    Change("notes", long, "short", label="notes"),
                )
            ),
            _entry(action="Deleted"),
        ]
    )
    assert '<time datetime="2026-12-02T21:05:07+00:00">2026-12-02 21:05</time>' in html
    assert "<li><strong>position</strong>: <ins>Analyst</ins></li>" in html
    assert f"<del>{'x' * 79}…</del> → <ins>short</ins>" in html
    assert '<span class="usa-hint">#1234</span>' in html
    assert '<td data-label="What changed">\n      —\n' in html  # nothing changed: a dash


def test_the_labels_follow_the_language():
    with translation.override("fr"):
        html = entry_rows([_entry()])
    for label in ("Quand", "Qui", "Enregistrement", "Action", "Ce qui a changé"):
        assert f'data-label="{label}"' in html
