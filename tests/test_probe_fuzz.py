"""Hostile input everywhere: every form the site offers and every API endpoint, fed huge
integers, over-long strings, wrong types, NUL and other odd unicode, empty and negative
values. Whatever comes in, the answer is never a server error.

Forms are found as an attacker finds them: each URL pattern is opened as a role the rules
allow (tests/probe/sampling.py), and the page's forms are read from its HTML — method, target
and field names. API endpoints come from /api/openapi.json. Hypothesis draws the values,
derandomised and bounded, so a run is repeatable and quick.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.probe import fixtures
from tests.probe.forms import Form, forms_on
from tests.probe.sampling import rows_of, samples, url_for
from tests.probe.urlmap import _walk, id_patterns

probe_world, probe = fixtures.probe_world, fixtures.probe  # the fixtures, for this module

HOSTILE = [
    2**70,
    -(2**70),
    2**63,
    -1,
    0,
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999.99",
    "x" * 100_000,
    "",
    " ",
    "\x00",
    "a\x00b",
    "\U0001d54f" * 500,
    "\u202egnp.exe",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    "2026-02-30",
    "0000-00-00",
    "99999-12-31",
    "9999-12-31T25:61",
    "true",
    "[]",
    '{"a": 1}',
    "%00",
]
FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Which role opens a page first: the widest writer first, so most forms appear.
ROLE_ORDER = ("admin", "coord_a", "participant", "panelist", "supervisor", "board", "auditor")


def _value(offered: list[str]):
    hostile = st.sampled_from(HOSTILE)
    choices = [hostile, st.text(max_size=40), st.lists(hostile, min_size=2, max_size=3)]
    if offered:
        choices.append(st.sampled_from(offered))
    return st.one_of(*choices)


def _pages(probe, namespace: str) -> list[tuple[str, str]]:
    """(role, url) of every page of the namespace, opened as the first role that may."""
    id_pattern_by_name = {p.name: p for p in id_patterns()[0]}
    pages = []
    for route, name, _callback in _walk_ours():
        if not (name or "").startswith(namespace + ":"):
            continue
        pattern = id_pattern_by_name.get(name)
        for role in ROLE_ORDER:
            user = probe.users[role]
            if pattern is None:
                if "<" in route or "(?P" in route:
                    break  # not swept (reviewed in urlmap.NOT_SWEPT)
                pages.append((role, "/" + route))
                break
            found = [o for o, verdict in samples(user, pattern, probe) if verdict]
            if found:
                extra = {p: v[0] for p, v in pattern.others.items()}
                pages.append((role, url_for(pattern, found[0], extra)))
                break
    return pages


def _walk_ours():
    from django.urls import get_resolver

    for route, name, callback in _walk(get_resolver()):
        if not route.startswith(("admin/", "api/")):
            yield route, name, callback


NAMESPACES = sorted(
    {name.split(":")[0] for _r, name, _c in _walk_ours() if name and ":" in name} - {"nonprod"}
)


def _fuzz_form(client: Client, form: Form, problems: list[str]) -> None:
    @FUZZ
    @given(st.fixed_dictionaries({n: _value(v) for n, v in form.fields.items()}))
    def submit(data):
        send = client.post if form.method == "post" else client.get
        try:
            response = send(form.action, data)
        except Exception as error:
            problems.append(f"{form.method.upper()} {form.action} {data!r:.300}: {error!r}")
            raise
        if response.status_code >= 500:
            problems.append(f"{form.method.upper()} {form.action} {data!r:.300}")
        assert response.status_code < 500

    try:
        submit()
    except Exception as error:  # collect every form's failure, then report
        problems.append(f"{form.method.upper()} {form.action}: {type(error).__name__}: {error}")


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_no_form_answers_hostile_input_with_a_server_error(probe, namespace):
    problems: list[str] = []
    fuzzed = 0
    for role, url in _pages(probe, namespace):
        client = Client()
        client.force_login(probe.users[role])
        page = client.get(url)
        if page.status_code != 200:  # a public page (sign-in, reset): as a stranger
            client = Client()
            page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for form in forms_on(url, page.content.decode()):
            fuzzed += 1
            _fuzz_form(client, form, problems)
    assert not problems, "\n".join(dict.fromkeys(problems))
    if namespace in {"people", "programs", "opportunities", "nominations", "placements"}:
        assert fuzzed, f"no form found under {namespace}: the discovery is broken"


# --- the API ---------------------------------------------------------------------------------


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _json_value():
    scalars = st.sampled_from(HOSTILE)
    return st.one_of(
        scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=5), scalars)
    )


def _fuzz_operation(client, path, method, operation, ids, problems) -> None:
    params = operation.get("parameters", [])
    in_path = [p["name"] for p in params if p["in"] == "path"]
    in_query = [p["name"] for p in params if p["in"] == "query"]
    has_body = "requestBody" in operation
    bodies = st.one_of(
        _json_value(),
        st.fixed_dictionaries({"opportunity_ids": _json_value(), "reason": _json_value()}),
    )

    @FUZZ
    @given(
        st.fixed_dictionaries({n: st.one_of(st.sampled_from(ids), _json_value()) for n in in_path}),
        st.fixed_dictionaries({n: _json_value() for n in in_query}),
        bodies,
    )
    def call(path_values, query, body):
        url = path
        for name, value in path_values.items():
            url = url.replace("{" + name + "}", str(value)[:2000])
        send = getattr(client, method)
        try:
            if has_body:
                response = send(url, data=json.dumps(body), content_type="application/json")
            else:
                response = send(url, query)
        except Exception as error:
            problems.append(f"{method.upper()} {url} {query!r:.200} {body!r:.200}: {error!r}")
            raise
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {url} {query!r:.200} {body!r:.200}")
        assert response.status_code < 500

    try:
        call()
    except Exception as error:  # collect every endpoint's failure, then report
        problems.append(f"{method.upper()} {path}: {type(error).__name__}: {error}")


def test_no_api_endpoint_answers_hostile_input_with_a_server_error(probe):
    client = Client()
    client.force_login(probe.users["admin"])
    schema = client.get("/api/openapi.json").json()
    ids = [str(o.pk) for o in rows_of(type(probe.world.cycle))] + ["1"]
    problems: list[str] = []
    operations = list(_operations(schema))
    assert len(operations) >= 10
    for path, method, operation in operations:
        _fuzz_operation(client, path, method, operation, ids, problems)
    assert not problems, "\n".join(dict.fromkeys(problems))
