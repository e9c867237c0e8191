"""The menu written in Python (core/templatetags/layout.py) against the template it replaced:
the same items, links, labels and current item for every role of the world, on every
section, in English and French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.context_processors import NAV_SECTION
from talent_exchange.core.templatetags.layout import MENU

pytestmark = pytest.mark.django_db

# The menu's items as base.html wrote them before (2026-12-03), kept as the reference.
TEMPLATE_MENU = "{% load i18n %}" + (Path(__file__).parent / "menu_as_template.html").read_text()

SECTIONS = sorted({"", "dashboard", *NAV_SECTION.values()})


def _compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _render(source: str, user, section: str) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {"user": user, "perms": _Perms(user), "user_roles": roles_of(user)}
    context["nav_section"] = section
    return engines["django"].from_string(source).render(context, request)


class _Perms:
    """``perms`` as Django's auth context processor gives it, without a request's session."""

    def __init__(self, user) -> None:
        from django.contrib.auth.context_processors import PermWrapper

        self.wrapper = PermWrapper(user)

    def __getitem__(self, app_label):
        return self.wrapper[app_label]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_menu_is_the_templates_for_every_role_and_section(world, language):
    assert len(world.users) >= 8
    with translation.override(language):
        for user in world.users.values():
            for section in SECTIONS:
                before = _render(TEMPLATE_MENU, user, section)
                after = _render("{% load layout %}{% primary_navigation %}", user, section)
                assert _compact(after) == _compact(before), (user.username, section)


def test_each_role_sees_its_items_and_the_current_one_is_marked(world):
    participant = world.users["participant"]
    html = _render("{% load layout %}{% primary_navigation %}", participant, "people")
    assert html.count('aria-current="page"') == 1
    assert 'usa-current" href="/people/" aria-current="page"><span>People<' in html
    assert "/audit/" not in html  # a participant is not an auditor
    auditor = next(u for u in world.users.values() if u.has_perm("audit.view_audit_log"))
    assert "/audit/" in _render("{% load layout %}{% primary_navigation %}", auditor, "")


def test_every_section_a_page_can_be_in_has_its_menu_item():
    sections = {item.section for item in MENU}
    assert set(NAV_SECTION.values()) <= sections
