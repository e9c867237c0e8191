"""SQLite stores integers in 64 bits and its driver refuses to bind a larger Python int
(``OverflowError``), so a typed-in ``99999999999999999999999`` as a record number, a choice
in a multi-select or a filter crashed any query that compared with it. PostgreSQL compares
such a number with a ``bigint`` column correctly (it matches nothing).

``register`` makes SQLite answer the same way: a parameter outside 64 bits is bound as
+/- infinity, which no stored integer equals and every stored integer is below (or above).
Forms and the API still bound what they store (ModelForm fields carry the column's range);
this only keeps comparisons from crashing, on every query at once."""

from __future__ import annotations

import sqlite3

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def bind_int(value: int) -> int | float:
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return float("inf") if value > 0 else float("-inf")


def register() -> None:
    sqlite3.register_adapter(int, bind_int)
