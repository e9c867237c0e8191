"""``{% primary_navigation %}``: the items of the site's menu, written in Python.

Every signed-in page renders the menu: as template tags it was a dozen ``{% url %}``, ten
``{% translate %}`` and twenty comparisons a page, about a third of the layout's cost
(docs/performance.md). Here the links are reversed once per process, each label translated
once per language, and the menu is one string. Its markup is held to what the template
wrote by ``core/tests/test_layout.py``. A new menu item is a line in ``MENU``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()


class MenuItem(NamedTuple):
    section: str  # the page's nav_section that makes it the current item
    url_name: str
    label: Promise
    # Shown to everyone signed in, or to those with this permission, or to whom this says so.
    shown_if: str | Callable[[Any, Any], bool] | None = None


def _has_person(user, roles) -> bool:
    return bool(roles is not None and roles.person_id)


MENU: list[MenuItem] = [
    MenuItem("dashboard", "core:dashboard", _("Dashboard")),
    MenuItem("programs", "programs:list", _("Programs")),
    MenuItem("people", "people:list", _("People")),
    MenuItem("organisations", "organizations:list", _("Organisations")),
    MenuItem("placements", "placements:list", _("Placements"), "placements.list_placements"),
    MenuItem("reports", "reports:index", _("Reports"), "reports.list_reports"),
    MenuItem("development", "development:plans", _("Development"), "development.list_plans"),
    MenuItem("finance", "finance:index", _("Finance"), "finance.view_finance"),
    MenuItem("learning", "learning:my_calendar", _("Learning"), _has_person),
    MenuItem("audit", "audit:log", _("Audit trail"), "audit.view_audit_log"),
]


@functools.cache
def _url(url_name: str, prefix: str) -> str:
    return reverse(url_name)


@functools.cache
def _item(index: int, language: str | None, prefix: str, current: bool) -> SafeString:
    """One item's markup: the same for every user of a language, current or not."""
    item = MENU[index]
    return format_html(
        '<li class="usa-nav__primary-item"><a class="usa-nav-link{}" href="{}"{}>'
        "<span>{}</span></a></li>",
        " usa-current" if current else "",
        _url(item.url_name, prefix),
        mark_safe(' aria-current="page"') if current else "",
        str(item.label),
    )


def _shown(item: MenuItem, user, roles) -> bool:
    if item.shown_if is None:
        return True
    if isinstance(item.shown_if, str):
        return bool(user.has_perm(item.shown_if))
    return item.shown_if(user, roles)


@register.simple_tag(takes_context=True)
def primary_navigation(context) -> SafeString:
    """The menu's items for the signed-in user, the page's own marked as current."""
    user = context["user"]
    roles = context.get("user_roles")
    section = context.get("nav_section", "")
    language, prefix = get_language(), get_script_prefix()
    return mark_safe(  # noqa: S308 (each item was built by format_html)
        "\n".join(
            _item(index, language, prefix, item.section == section)
            for index, item in enumerate(MENU)
            if _shown(item, user, roles)
        )
    )
