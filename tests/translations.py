"""The project's translation catalogues: where they are, a small reader for the checks, and
compiling them (``*.mo`` files are build artefacts: ``make install`` compiles them, and the test
session compiles a stale one so that ``pytest`` run on its own sees the current French)."""

from __future__ import annotations

import ast
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "talent_exchange" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    """One message of a ``.po`` file."""

    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags


def catalogue(language: str, domain: str = "django") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read_po(path: Path) -> list[Entry]:
    """The messages of a ``.po`` file (the header entry left out, obsolete ``#~`` ones too)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key = ""
    flags: set[str] = set()

    def finish() -> None:
        if current is not None and current.msgid:
            entries.append(current)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                current.msgstr[-1] += value
            else:
                setattr(current, key, getattr(current, key) + value)
            continue
        value = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
            current, flags = Entry(msgid="", flags=flags, line=number), set()
        if keyword.startswith("msgstr"):
            current.msgstr.append(value)
        elif keyword == "msgctxt":
            current.msgctxt = value
        else:
            setattr(current, keyword, value)
        key = keyword
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def compile_stale(language: str = "fr") -> None:
    """Compile the ``.po`` file of ``language`` when its ``.mo`` is missing or older. Written
    to a temporary file and moved into place, so parallel test workers never read half a file."""
    po = catalogue(language)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise RuntimeError("Compiling the translations needs GNU gettext: apt-get install gettext")
    handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        subprocess.run([msgfmt, "--check-format", "-o", temporary, str(po)], check=True)
        os.replace(temporary, mo)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def english_left(page: str, language: str = "fr") -> list[str]:
    """The text of an HTML ``page`` that is a message of the ``language`` catalogue still in
    English (whole text nodes only; messages with placeholders or plurals are not looked for)."""
    page = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    text = {html.unescape(t).strip() for t in re.split(r"<[^>]+>", page)}
    return sorted(text & _english_messages(language))


_ENGLISH: dict[str, set[str]] = {}


def _english_messages(language: str) -> set[str]:
    if language not in _ENGLISH:
        _ENGLISH[language] = {
            e.msgid
            for e in read_po(catalogue(language))
            if e.translated and not e.msgid_plural and e.msgstr[0] != e.msgid and len(e.msgid) > 3
        }
    return _ENGLISH[language]


def english_lines(text: str, language: str = "fr") -> list[str]:
    """The lines of a plain ``text`` (a PDF's extracted text, say) that are a message of the
    ``language`` catalogue still in English."""
    lines = {" ".join(line.split()) for line in text.splitlines()}
    return sorted(lines & _english_messages(language))
