"""Where many rows are read at once — the audit trail and its export, the Django admin's
change and history pages, the API's lists — every row shown must be one the reader may see
(tests/probe/scope.py says which: the model's ``visible_to``, or that of the row it belongs
to). Asked of every role of the world, against rows of both programs."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib import admin
from django.test import Client

from talent_exchange.audit.trail import TRACKED
from talent_exchange.matches.models import MatchRun
from talent_exchange.nominations.models import Nomination
from talent_exchange.opportunities.models import Opportunity
from talent_exchange.programs.models import Cycle
from tests.probe import fixtures
from tests.probe.scope import in_scope
from tests.probe.world import fingerprint

probe_world, probe = fixtures.probe_world, fixtures.probe  # the fixtures, for this module

ROLES = (
    "admin",
    "coord_a",
    "coord_b",
    "supervisor",
    "participant",
    "panelist",
    "board",
    "auditor",
    "nobody",
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _strangers(user, model) -> dict[int, object]:
    """The rows of ``model`` outside ``user``'s scope, by id."""
    return {o.pk: o for o in model._default_manager.all() if not in_scope(user, o)}


# --- the audit trail ---------------------------------------------------------------------

AUDIT_KINDS = list(TRACKED)


def _exported_ids(response) -> list[int]:
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    return [int(row["id"]) for row in rows if row.get("id")]


@pytest.mark.parametrize("kind", AUDIT_KINDS)
def test_the_audit_trail_shows_only_rows_in_the_readers_scope(probe, kind):
    model = TRACKED[kind][0]
    problems = []
    for role in ROLES:
        user = probe.users[role]
        client = _client(user)
        page = client.get("/audit/", {"kind": kind})
        export = client.get("/audit/export.csv", {"kind": kind})
        if not user.has_perm("audit.view_audit_log"):
            if page.status_code != 403 or export.status_code != 403:
                problems.append(f"{role}: {page.status_code}/{export.status_code}, not 403")
            continue
        assert page.status_code == 200 and export.status_code == 200, role
        strangers = _strangers(user, model)
        shown = {e.object_id for e in page.context["rows"]} & set(strangers)
        exported = set(_exported_ids(export)) & set(strangers)
        for pk in sorted(shown | exported):
            problems.append(f"{role} reads the history of {kind} #{pk} ({strangers[pk]})")
        for pk in list(strangers)[:2]:
            one = client.get("/audit/", {"kind": kind, "object_id": pk})
            if any(e.object_id == pk for e in one.context["rows"] or []):
                problems.append(f"{role} reads {kind} #{pk} by its number")
    assert not problems, "\n".join(problems)


# --- the Django admin ----------------------------------------------------------------------

ADMIN_MODELS = [
    pytest.param(model, id=model._meta.label)
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label)
]


def _admin_may(user, obj) -> bool:
    opts = obj._meta
    return (
        user.is_active
        and user.is_staff
        and in_scope(user, obj)
        and (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}", obj)
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}", obj)
        )
    )


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_the_admin_opens_only_rows_the_rules_allow(probe, model):
    """The change page (GET, and POST with garbage) and the history page of one row the
    rules allow and of the rows they refuse: refused is a 403, a 404 or a redirect away
    (the admin sends a missing row to its index), and nothing changes."""
    opts = model._meta
    problems = []
    rows = list(model._default_manager.order_by("pk"))
    for role in ROLES:
        user = probe.users[role]
        client = _client(user)
        verdicts = [(row, _admin_may(user, row)) for row in rows]
        allowed_one = next(([(r, True)] for r, v in verdicts if v), [])
        for row, may in allowed_one + [(r, v) for r, v in verdicts if not v][:3]:
            base = f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}"
            for url, method in (
                (f"{base}/change/", "get"),
                (f"{base}/history/", "get"),
                (f"{base}/change/", "post"),
            ):
                if may and method == "post":
                    continue
                before = fingerprint() if method == "post" else None
                response = getattr(client, method)(url, {"x": "\x00"} if method == "post" else None)
                status = response.status_code
                where = f"{role} {method.upper()} {url}"
                if status >= 500:
                    problems.append(f"{where}: {status}")
                elif not may and status == 302 and response["Location"].startswith(base):
                    problems.append(f"{where}: redirected to {response['Location']}")
                elif not may and status not in (302, 403, 404):
                    problems.append(f"{where}: {status} where the rules refuse")
                elif before is not None and fingerprint() != before:
                    problems.append(f"{where}: rows changed")
    assert not problems, "\n".join(problems)


# --- the API's lists -----------------------------------------------------------------------

# Each list endpoint of the schema and the kind its items are (reviewed; a new list endpoint
# fails the test until it is added here).
API_LISTS = {
    "list_opportunities": Opportunity,
    "list_nominations": Nomination,
    "list_match_runs": MatchRun,
    # the market's rows are keyed "n<nomination id>" and "o<opportunity id>"
    "market_participants": Nomination,
    "market_slots": Opportunity,
    # a run's rows, keyed by participant ("n<nomination id>"); the run itself must be readable
    "match_run_assignments": Nomination,
    "match_run_unmatched": Nomination,
}


def _list_operations(schema) -> dict[str, str]:
    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ref = (
                operation["responses"]
                .get("200", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            target = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
            if method == "get" and target.get("properties", {}).get("items", {}).get("type") == (
                "array"
            ):
                found[operation["operationId"]] = path
    return found


def test_every_item_of_every_api_list_is_one_the_reader_may_see(probe):
    schema = _client(probe.users["auditor"]).get("/api/openapi.json").json()
    operations = _list_operations(schema)
    assert set(operations) == set(API_LISTS), "map each API list to its kind in API_LISTS"
    cycles = list(Cycle.objects.all())
    runs = list(MatchRun.objects.values_list("pk", flat=True))
    problems = []
    for role in ROLES:
        user = probe.users[role]
        client = _client(user)
        for operation, path in operations.items():
            model = API_LISTS[operation]
            strangers = _strangers(user, model)
            if "{cycle_id}" in path:
                urls = [path.replace("{cycle_id}", str(c.pk)) for c in cycles]
            elif "{run_id}" in path:
                readable = set(MatchRun.objects.visible_to(user).values_list("pk", flat=True))
                urls = []
                for run_id in runs:
                    url = path.replace("{run_id}", str(run_id))
                    answer = client.get(url, {"limit": 1})
                    if answer.status_code == 200 and run_id not in readable:
                        problems.append(f"{role} GET {url} reads a run it may not see")
                    urls.append(url)
            else:
                urls = [path]
            for url in urls:
                response = client.get(url, {"limit": 100})
                if response.status_code >= 500:
                    problems.append(f"{role} GET {url}: {response.status_code}")
                if response.status_code != 200:
                    continue
                for item in response.json()["items"]:
                    key = item["id"] if "id" in item else item["participant"]
                    if (int(key[1:]) if isinstance(key, str) else key) in strangers:
                        problems.append(f"{role} GET {url} lists {model.__name__} {item['id']}")
    assert not problems, "\n".join(problems)
