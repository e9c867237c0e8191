"""No write on a GET request, anywhere: the guard.

A superuser opens every URL pattern of the site (the admin's too) on the demo data, and the
test fails if any page ran an INSERT, UPDATE or DELETE. Work that changes data belongs to a
POST, a task or a scheduled command (for example ``mark_stalled_runs``), never to a page view.

Only the writes of signing in are allowed: the session, django-axes' access log and the
user's last-login time.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from talent_exchange.matches.models import MatchRun
from tests.factories import UserFactory
from tests.probe.urlmap import id_patterns
from tests.test_url_permissions import ALL, concrete

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Tables written by signing in, not by the page; and the disclosure log, which records who
# opened a talent profile (privacy law asks for it; an access log, not a change).
ALLOWED_TABLES = ("django_session", "axes_", "accounts_user", "privacy_recordview")
# GET on these answers 405 or signs out; the sign-out itself is a POST.
SKIPPED_NAMES = {"accounts:logout", "admin:logout"}


def _first_pk(model) -> int | None:
    return model.objects.order_by("pk").values_list("pk", flat=True).first()


def _existing_ids() -> dict[str, dict[str, int]]:
    """For each of our patterns, an existing object's id for each id parameter: ids depend
    on what earlier tests created (SQLite's AUTOINCREMENT keeps counting after a flush), so
    the sweep asks the database instead of guessing 1."""
    patterns, _unmapped = id_patterns()
    found: dict[str, dict[str, int]] = {}
    for pattern in patterns:
        ids = {}
        for param, kind in pattern.kinds.items():
            model = kind[0] if isinstance(kind, tuple) else kind
            if isinstance(model, type) and issubclass(model, Model):
                pk = _first_pk(model)
                if pk is not None:
                    ids[param] = pk
        found[pattern.route] = ids
    return found


def _url(route: str, ids: dict[str, int]) -> str:
    """The route with known ids filled in; the admin's object pages get their model's first
    object; anything else as ``concrete`` makes it."""
    for param, pk in ids.items():
        route = route.replace(f"<int:{param}>", str(pk))
    admin = re.match(r"\^?admin/(\w+)/(\w+)/", route)
    if admin and "(?P<object_id>" in route:
        try:
            model = apps.get_model(admin.group(1), admin.group(2))
        except LookupError:
            model = None
        pk = _first_pk(model) if model is not None else None
        if pk is not None:
            route = re.sub(r"\(\?P<object_id>[^)]*\)", str(pk), route)
    return concrete(route)


def _written_table(sql: str) -> str:
    match = re.search(r'(?:INTO|UPDATE|FROM)\s+"?([\w.]+)"?', sql, re.IGNORECASE)
    return match.group(1) if match else sql


def _writes(queries) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"]
        if not WRITE.match(sql):
            continue
        table = _written_table(sql)
        if table.startswith(ALLOWED_TABLES) and (
            table != "accounts_user" or "last_login" in sql.split("WHERE")[0]
        ):
            continue
        found.append(sql[:200])
    return found


@pytest.mark.django_db
def test_no_page_writes_to_the_database_on_get(client, seeded_demo):
    # a run still in progress, so that the run pages take their "unfinished" path too
    stalled = MatchRun.objects.order_by("pk").first()
    assert stalled is not None
    MatchRun.objects.filter(pk=stalled.pk).update(status="running", heartbeat_at=None)
    admin = UserFactory(username="sweeper", is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.raise_request_exception = False  # a page that fails is another test's business
    client.get("/")  # the first request of a session may write the session itself

    offenders: dict[str, list[str]] = {}
    answered = 0
    known = _existing_ids()
    for route, name, _callback in ALL:
        if name in SKIPPED_NAMES:
            continue
        page = _url(re.sub(r"<path:\w+>", "1", route), known.get(route, {}))
        run_page = page.replace("/1/", f"/{stalled.pk}/") if "run" in route else None
        for candidate in filter(None, [page, run_page]):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(candidate)
            answered += response.status_code == 200
            writes = _writes(queries.captured_queries)
            if writes:
                offenders[f"{name or route} ({candidate})"] = writes
    assert not offenders, "pages that write on GET:\n" + "\n".join(
        f"{page}: {sql}" for page, sqls in offenders.items() for sql in sqls
    )
    # the sweep must reach real pages, not only 404s, for the guard to mean something
    assert answered > len(ALL) // 2
