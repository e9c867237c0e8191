"""How domain apps add to shared pages without editing them.

An app may define ``talent_exchange/<app>/hooks.py`` with either of:

- ``dashboard_sections(user, roles, today) -> list[Section]`` — boxes on the dashboard, each
  rendered from the app's own template with its own context (what this role must do next);
- ``cycle_links(cycle, user) -> list[tuple[str, str]]`` — (label, url) pairs shown on a cycle's
  page, for the parts of the cycle the app owns and the user may open.

Each function must keep its query count fixed (no query per row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


@cache
def _hook_modules() -> tuple[ModuleType, ...]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("talent_exchange.") or config.name == __package__:
            continue
        try:
            modules.append(import_module(f"{config.name}.hooks"))
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.hooks":
                raise
    return tuple(modules)


def dashboard_sections(user, roles, today) -> list[Section]:
    sections: list[Section] = []
    for module in _hook_modules():
        if hasattr(module, "dashboard_sections"):
            sections.extend(module.dashboard_sections(user, roles, today))
    return sorted(sections, key=lambda s: (s.order, s.title))


def cycle_links(cycle, user) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for module in _hook_modules():
        if hasattr(module, "cycle_links"):
            links.extend(module.cycle_links(cycle, user))
    return links
