"""The object-level authorisation sweep: every URL pattern that names an object, every role
of the world, objects in and out of each role's scope, each answer compared with what the
permission rules and ``visible_to`` say (tests/probe/scope.py), never with the view itself.

For each pattern and role it asks about one object the rules allow (GET), one in scope that
the rules refuse and one out of scope (GET and POST with a garbage body, PUT on the API),
and, where the URL names a row inside another (``/placements/<pk>/objectives/<item>/``), a
row of another parent. It asserts:

- never a 5xx;
- where the rules refuse, a 4xx (403 or 404 from the permission layer; 405 for a method the
  route does not take; 422 when the API's schema rejects the body before the handler runs),
  and no row of ours created, changed or deleted;
- the rules never let a role of one program reach a row of another program.
"""

from __future__ import annotations

import pytest
from django.test import Client

from talent_exchange.accounts.roles import roles_of
from talent_exchange.programs.models import ProgramInvitation
from tests.probe import fixtures
from tests.probe.scope import everything_reader, in_scope, program_of
from tests.probe.urlmap import CHILD_OF, id_patterns
from tests.probe.world import fingerprint

probe_world, probe = fixtures.probe_world, fixtures.probe  # the fixtures, for this module
PATTERNS, UNMAPPED = id_patterns()
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


def test_every_id_pattern_is_mapped_to_the_kinds_it_addresses():
    assert not UNMAPPED, "map these parameters in tests/probe/urlmap.py:\n" + "\n".join(UNMAPPED)
    assert len(PATTERNS) > 60


def allowed(user, pattern, objects, method="get") -> bool:
    """What the rules say: every object of the URL in the user's scope, and every permission
    the request needs granted on its object."""
    if not all(in_scope(user, obj) for param, obj in objects.items() if param in pattern.kinds):
        return False
    checks = pattern.checks(objects, method)
    return checks is not None and all(user.has_perm(perm, obj) for perm, obj in checks)


def _rows(kind):
    model = kind[0] if isinstance(kind, tuple) else kind
    return list(model._default_manager.order_by("pk"))


def _value(pattern, param, obj):
    kind = pattern.kinds[param]
    return getattr(obj, kind[1]) if isinstance(kind, tuple) else obj.pk


def _url(pattern, values: dict) -> str:
    url = "/" + pattern.route
    for param, value in values.items():
        for converter in ("int:", "str:", "slug:", ""):
            url = url.replace(f"<{converter}{param}>", str(value))
    return url


def _with_children(pattern, parent, user) -> dict | None:
    """The primary object with a row of each other parameter: its own child where the
    parameter names one, else the first row the user may see (or the first row)."""
    objects = {pattern.primary: parent}
    for param in pattern.kinds:
        if param != pattern.primary and param not in CHILD_OF:
            rows = _rows(pattern.kinds[param])
            objects[param] = next((r for r in rows if in_scope(user, r)), rows[0])
        elif param in CHILD_OF:
            own = [c for c in _rows(pattern.kinds[param]) if _parent_id(c, param) == parent.pk]
            if not own:
                return None
            objects[param] = own[0]
    return objects


def _parent_id(child, param):
    return getattr(child, CHILD_OF[param] + "_id")


def samples(user, pattern, probe):
    """[(objects, the rules allow it)] — one allowed, one refused in scope, one out of scope
    (of the other program when there is one), and a child row under a stranger parent."""
    allowed_one = refused_in_scope = out_of_scope = None
    for parent in _rows(pattern.kinds[pattern.primary]):
        objects = _with_children(pattern, parent, user)
        if objects is None:
            continue
        if allowed(user, pattern, objects):
            allowed_one = allowed_one or objects
        elif in_scope(user, parent):
            refused_in_scope = refused_in_scope or objects
        elif out_of_scope is None or program_of(parent) == probe.other_program:
            out_of_scope = objects
    picked = [(o, o is allowed_one) for o in (allowed_one, refused_in_scope, out_of_scope) if o]
    if allowed_one:
        for param in pattern.kinds:
            if param in CHILD_OF:
                parent = allowed_one[pattern.primary]
                stranger = next(
                    c for c in _rows(pattern.kinds[param]) if _parent_id(c, param) != parent.pk
                )
                picked.append(({**allowed_one, param: stranger}, False))
    return picked


def _other_values(pattern):
    if not pattern.others:
        return [{}]
    ((param, values),) = pattern.others.items()
    return [{param: v} for v in values]


def _ask(client, method, url):
    if method == "get":
        return client.get(url)
    # The API gets a well-formed body, so its handler (and permission check) runs.
    body = '{"opportunity_ids": [], "reason": "probe"}' if url.startswith("/api/") else "x=%00"
    kind = "application/json" if url.startswith("/api/") else "application/x-www-form-urlencoded"
    return getattr(client, method)(url, data=body, content_type=kind)


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_no_role_reaches_an_object_the_rules_refuse(probe, pattern):
    problems = []
    writes = ("post", "put") if pattern.name.startswith("api:") else ("post",)
    for role in ROLES:
        user = probe.users[role]
        client = Client()
        client.force_login(user)
        for objects, verdict in samples(user, pattern, probe):
            for values in _other_values(pattern):
                url = _url(pattern, {p: _value(pattern, p, o) for p, o in objects.items()} | values)
                for method in ("get",) if verdict else ("get", *writes):
                    may = verdict and allowed(user, pattern, objects, method)
                    before = None if may or method == "get" else fingerprint()
                    status = _ask(client, method, url).status_code
                    where = f"{role} {method.upper()} {url}"
                    if status >= 500:
                        problems.append(f"{where}: {status}")
                    elif not may and not 400 <= status < 500:
                        problems.append(f"{where}: {status} where the rules refuse")
                    elif before is not None and fingerprint() != before:
                        problems.append(f"{where}: refused with {status} but rows changed")
    assert not problems, "\n".join(problems)


def _invited(user, obj) -> bool:
    """An invitation to join another program is addressed to an organisation: its own
    coordinators read and answer it (the one row of another program they reach)."""
    return isinstance(obj, ProgramInvitation) and (
        obj.organization_id in roles_of(user).coordinator_org_ids
    )


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_the_rules_keep_each_program_to_itself(probe, pattern):
    """No role held in the first program (nor a coordinator, supervisor or participant of its
    organisations) is allowed any row of the second program, on any pattern — except the
    invitation the second program sent to their own organisation."""
    problems = []
    for role in ROLES:
        user = probe.users[role]
        if everything_reader(user):
            continue
        for parent in _rows(pattern.kinds[pattern.primary]):
            if program_of(parent) != probe.other_program or _invited(user, parent):
                continue
            objects = _with_children(pattern, parent, user)
            for method in ("get", "put"):
                if objects and allowed(user, pattern, objects, method):
                    problems.append(f"{role} may {method} {pattern.name} {objects}")
    assert not problems, "\n".join(problems)
