"""The demo's content as data: one JSON file per subject (vocabulary, tracks, organisations,
people, programs, users, the current exchange). ``demo_data`` and ``demo_exchange`` read
them into their specs and seed them; edit the files to change the demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

DATA_DIR = Path(__file__).parent

Spec = TypeVar("Spec", bound=tuple[Any, ...])


def load(name: str) -> Any:
    """The content of ``nonprod/data/<name>.json``."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)


def as_spec(kind: type[Spec], row: dict[str, Any]) -> Spec:
    """A row of a data file as its spec (a NamedTuple): JSON lists become tuples."""
    return kind(**{key: tuple(v) if isinstance(v, list) else v for key, v in row.items()})
