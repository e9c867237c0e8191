"""core is the base layer: it imports no domain app, and the registry wires the apps in.

The domain apps import core (permissions, predicates, views, the dashboard registry); core
reaches them only through the registry (each app's ``dashboard.py``) and Django's app
registry. The one thing core reads from another app is the roles resolver
(``accounts.roles``), which itself imports nothing but the accounts models.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from talent_exchange.core import dashboard

PACKAGE = Path(__file__).resolve().parents[2]  # talent_exchange/
# What the base layer may import from our other apps, and why.
BASE_MODULES = {
    "talent_exchange.accounts.roles",  # who holds which role: what every permission reads
    "talent_exchange.accounts.models",  # the grants the resolver reads
}
BASE_FILES = [
    *sorted((PACKAGE / "core").glob("*.py")),
    PACKAGE / "accounts" / "roles.py",
    PACKAGE / "accounts" / "models.py",
]


def _imported(path: Path) -> set[str]:
    package = "talent_exchange." + ".".join(path.relative_to(PACKAGE).parent.parts)
    return _imports_in(path.read_text(), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Every module a file imports, at the top or inside a function, made absolute."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _own_apps() -> set[str]:
    return {app for app in settings.INSTALLED_APPS if app.startswith("talent_exchange.")}


@pytest.mark.parametrize("path", BASE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_base_layer_imports_no_domain_app(path):
    domain = _own_apps() - {"talent_exchange.core"}
    wrong = sorted(
        name
        for name in _imported(path)
        if any(name == app or name.startswith(app + ".") for app in domain)
        and not any(name == ok or name.startswith(ok + ".") for ok in BASE_MODULES)
    )
    assert not wrong, f"{path.name} imports a domain app: {wrong}"


def test_the_check_sees_imports_at_any_depth():
    source = "import talent_exchange.audit\ndef f():\n    from ..people import models\n"
    found = _imports_in(source, "talent_exchange.core")
    assert {"talent_exchange.audit", "talent_exchange.people.models"} <= found


def test_every_declared_section_and_link_is_registered():
    assert dashboard.registered_sections() == dashboard.SECTION_ORDER
    assert dashboard.registered_cycle_links() == dashboard.CYCLE_LINK_ORDER


def test_a_section_must_be_declared_in_the_order():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SECTION_ORDER"):
        dashboard.section("people.undeclared")(lambda user, roles, today: None)


@pytest.mark.django_db
def test_the_dashboard_shows_sections_in_the_declared_order(world, client_for):
    """An administrator who also coordinates sees the apps' boxes in SECTION_ORDER."""
    from tests.factories import grant

    admin = world.users["admin"]
    grant(admin, "coordinator", organization=world.city_a)
    page = client_for(admin).get("/")
    titles = [section.title for section in page.context["sections"]]
    assert "Cycles you run" in titles and "Your organisation" in titles
    assert titles.index("Opportunities awaiting your approval") < titles.index("Cycles you run")
    assert titles.index("Cycles you run") < titles.index("Your organisation")
