"""Bilingual content (issue 15, item 4; ADR 0021): what a program writes for everyone —
program and cycle names, opportunity titles and descriptions — in English and in French.

A bilingual field is a pair of columns on the model: the field itself (``title``), as the
program wrote it (English in the seeded programs), and its French version (``title_fr``),
blank until someone writes it. A reader sees the version of their language, else the other
(:func:`in_reader_language`, ``{{ obj|bilingual:"title" }}``); searches look in both
(:func:`search_both`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SECOND_LANGUAGE = "fr"
FRENCH_VERSION_HELP = _(
    "Optional. Shown to people who read the site in French; without it they see the text above."
)


def french(field: str) -> str:
    """The column holding the French version of ``field``."""
    return f"{field}_{SECOND_LANGUAGE}"


def reads_french() -> bool:
    return (get_language() or "").startswith(SECOND_LANGUAGE)


def in_reader_language(obj: Any, field: str) -> str:
    """``obj.field`` in the active language: the French version for a French reader, when
    there is one; otherwise the field as written (and the French one when that is empty)."""
    written = getattr(obj, field, "") or ""
    translated = getattr(obj, french(field), "") or ""
    if reads_french():
        return translated or written
    return written or translated


class Localized:
    """A read-only attribute giving a bilingual field in the reader's language:
    ``local_title = Localized("title")`` on the model."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return in_reader_language(obj, self.field)


def search_both(fields: list[str], word: str) -> Q:
    """Rows with ``word`` in any of ``fields``, in either language."""
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": word}) | Q(**{f"{french(field)}__icontains": word})
    return q
