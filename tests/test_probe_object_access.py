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
from tests.probe.sampling import (
    ROLES,
    allowed,
    other_values,
    rows_of,
    samples,
    url_for,
    with_children,
)
from tests.probe.scope import everything_reader, program_of
from tests.probe.urlmap import id_patterns
from tests.probe.world import fingerprint

probe_world, probe = fixtures.probe_world, fixtures.probe  # the fixtures, for this module
PATTERNS, UNMAPPED = id_patterns()


def test_every_id_pattern_is_mapped_to_the_kinds_it_addresses():
    assert not UNMAPPED, "map these parameters in tests/probe/urlmap.py:\n" + "\n".join(UNMAPPED)
    assert len(PATTERNS) > 60


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
            for values in other_values(pattern):
                url = url_for(pattern, objects, values)
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
        for parent in rows_of(pattern.kinds[pattern.primary]):
            if program_of(parent) != probe.other_program or _invited(user, parent):
                continue
            objects = with_children(pattern, parent, user)
            for method in ("get", "put"):
                if objects and allowed(user, pattern, objects, method):
                    problems.append(f"{role} may {method} {pattern.name} {objects}")
    assert not problems, "\n".join(problems)
