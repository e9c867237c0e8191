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
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talent_exchange.matches.models import MatchRun
from tests.factories import UserFactory
from tests.test_url_permissions import ALL, concrete

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Tables written by signing in, not by the page.
ALLOWED_TABLES = ("django_session", "axes_", "accounts_user")
# GET on these answers 405 or signs out; the sign-out itself is a POST.
SKIPPED_NAMES = {"accounts:logout", "admin:logout"}


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
    for route, name, _callback in ALL:
        if name in SKIPPED_NAMES:
            continue
        page = concrete(re.sub(r"<path:\w+>", "1", route))
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
