"""JSON in and out: orjson when it is installed (fast), the standard library otherwise.

Output is canonical: keys sorted, two-space indentation, a final newline, so that the same
result is the same bytes.  (orjson and the standard library agree on this layout; they may
differ only in how they print very large or very small floats, such as ``1e16``.)
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson

    HAVE_ORJSON = True
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps the engine usable
    HAVE_ORJSON = False


class JSONError(ValueError):
    """The input is not JSON."""


def loads(raw: bytes | str) -> Any:
    if isinstance(raw, bytes) and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as some editors write
    try:
        if HAVE_ORJSON:
            return orjson.loads(raw)
        return json.loads(raw)
    except (ValueError, TypeError) as error:  # orjson.JSONDecodeError is a ValueError
        raise JSONError(str(error)) from error


def dumps(value: Any, indent: bool = True) -> bytes:
    if HAVE_ORJSON:
        option = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
        if indent:
            option |= orjson.OPT_INDENT_2
        return orjson.dumps(value, option=option)
    text = json.dumps(
        value,
        sort_keys=True,
        ensure_ascii=False,
        allow_nan=False,
        indent=2 if indent else None,
        separators=None if indent else (",", ":"),
    )
    return (text + "\n").encode()
