"""Competency frameworks as data: a JSON (or YAML) file per framework version, validated
whole before anything is written.

A file names its ``framework`` (a stable code), ``name``, ``version``, optionally
``jurisdiction`` and ``effective_from``, and its ``competencies``: each with a ``code``, a
``name`` and, for a sub-competency, the ``parent`` code of a competency listed in the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talent_exchange.core.exceptions import ActionRefused

from .models import Competency, FrameworkVersion

SHIPPED = Path(__file__).resolve().parent / "data" / "frameworks"


class FrameworkFileError(ActionRefused):
    """A framework file that cannot be loaded; the message says what and where."""


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class FrameworkData:
    framework: str
    name: str
    version: str
    jurisdiction: str
    effective_from: date | None
    entries: tuple[Entry, ...]


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.json"))


def read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml  # optional: only when a program chooses a YAML file

        return yaml.safe_load(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            _("%(file)s, line %(line)s: this is not valid JSON (%(error)s).")
            % {"file": path.name, "line": error.lineno, "error": error.msg}
        ) from error


def parse(raw: Any, where: str) -> FrameworkData:
    """Check a framework read from ``where`` (a file name); every problem names its place."""
    if not isinstance(raw, dict):
        raise FrameworkFileError(_("%(file)s: expected an object at the top.") % {"file": where})
    for key in ("framework", "name", "version", "competencies"):
        if not raw.get(key):
            raise FrameworkFileError(
                _("%(file)s: “%(key)s” is missing.") % {"file": where, "key": key}
            )
    items = raw["competencies"]
    if not isinstance(items, list):
        raise FrameworkFileError(_("%(file)s: “competencies” must be a list.") % {"file": where})
    seen: dict[str, int] = {}
    entries: list[Entry] = []
    for index, item in enumerate(items, start=1):
        place = _("%(file)s, competency %(n)s") % {"file": where, "n": index}
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise FrameworkFileError(
                _("%(place)s: a code and a name are needed.") % {"place": place}
            )
        code = str(item["code"]).strip()
        if code in seen:
            raise FrameworkFileError(
                _("%(place)s: the code “%(code)s” is already used by competency %(first)s.")
                % {"place": place, "code": code, "first": seen[code]}
            )
        seen[code] = index
        parent = item.get("parent")
        entries.append(Entry(code, str(item["name"]).strip(), str(parent) if parent else None))
    for index, entry in enumerate(entries, start=1):
        if entry.parent is not None and entry.parent not in seen:
            raise FrameworkFileError(
                _(
                    "%(file)s, competency %(n)s (“%(code)s”): its parent “%(parent)s” is not "
                    "in the file."
                )
                % {"file": where, "n": index, "code": entry.code, "parent": entry.parent}
            )
        if entry.parent is not None and entries[seen[entry.parent] - 1].parent is not None:
            raise FrameworkFileError(
                _(
                    "%(file)s, competency %(n)s (“%(code)s”): its parent “%(parent)s” is itself "
                    "a sub-competency; a framework has two levels."
                )
                % {"file": where, "n": index, "code": entry.code, "parent": entry.parent}
            )
    effective = raw.get("effective_from")
    try:
        effective_from = date.fromisoformat(effective) if effective else None
    except (TypeError, ValueError) as error:
        raise FrameworkFileError(
            _("%(file)s: “effective_from” must be a date like 2025-10-01.") % {"file": where}
        ) from error
    return FrameworkData(
        framework=str(raw["framework"]),
        name=str(raw["name"]),
        version=str(raw["version"]),
        jurisdiction=str(raw.get("jurisdiction", "")),
        effective_from=effective_from,
        entries=tuple(entries),
    )


def load_framework(path: Path) -> FrameworkVersion:
    """Load one framework version from ``path``; an existing version with the same framework
    and version code is returned unchanged (versions are immutable once plans use them)."""
    data = parse(read_file(path), path.name)
    return save_framework(data, source=path.name)


def save_framework(data: FrameworkData, *, source: str) -> FrameworkVersion:
    with transaction.atomic():
        version, created = FrameworkVersion.objects.get_or_create(
            framework=data.framework,
            version=data.version,
            defaults={
                "name": data.name,
                "jurisdiction": data.jurisdiction,
                "effective_from": data.effective_from,
                "source": source,
            },
        )
        if not created:
            return version
        made: dict[str, Competency] = {}
        for position, entry in enumerate(data.entries):  # parents come first: two passes
            if entry.parent is None:
                made[entry.code] = Competency.objects.create(
                    version=version, code=entry.code, name=entry.name, position=position
                )
        for position, entry in enumerate(data.entries):
            if entry.parent is not None:
                made[entry.code] = Competency.objects.create(
                    version=version,
                    code=entry.code,
                    name=entry.name,
                    parent=made[entry.parent],
                    position=position,
                )
    return version


def load_shipped() -> list[FrameworkVersion]:
    return [load_framework(path) for path in shipped_files()]
