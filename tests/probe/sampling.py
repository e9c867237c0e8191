"""Choosing what to ask: for a URL pattern and a user, objects the rules allow and refuse,
and the URL that names them (shared by the authorisation sweep and the fuzz)."""

from __future__ import annotations

from .scope import in_scope, program_of
from .urlmap import CHILD_OF

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


def allowed(user, pattern, objects, method="get") -> bool:
    """What the rules say: every object of the URL in the user's scope, and every permission
    the request needs granted on its object."""
    if not all(in_scope(user, obj) for param, obj in objects.items() if param in pattern.kinds):
        return False
    checks = pattern.checks(objects, method)
    return checks is not None and all(user.has_perm(perm, obj) for perm, obj in checks)


def rows_of(kind):
    model = kind[0] if isinstance(kind, tuple) else kind
    return list(model._default_manager.order_by("pk"))


def _value(pattern, param, obj):
    kind = pattern.kinds[param]
    return getattr(obj, kind[1]) if isinstance(kind, tuple) else obj.pk


def url_for(pattern, objects: dict, extra: dict | None = None) -> str:
    """The URL naming these objects (and values for the parameters that are not ids)."""
    values = {p: _value(pattern, p, o) for p, o in objects.items()} | (extra or {})
    url = "/" + pattern.route
    for param, value in values.items():
        for converter in ("int:", "str:", "slug:", ""):
            url = url.replace(f"<{converter}{param}>", str(value))
    return url


def with_children(pattern, parent, user) -> dict | None:
    """The primary object with a row of each other parameter: its own child where the
    parameter names one, else the first row the user may see (or the first row)."""
    objects = {pattern.primary: parent}
    for param in pattern.kinds:
        if param != pattern.primary and param not in CHILD_OF:
            rows = rows_of(pattern.kinds[param])
            objects[param] = next((r for r in rows if in_scope(user, r)), rows[0])
        elif param in CHILD_OF:
            own = [c for c in rows_of(pattern.kinds[param]) if _parent_id(c, param) == parent.pk]
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
    for parent in rows_of(pattern.kinds[pattern.primary]):
        objects = with_children(pattern, parent, user)
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
                    c for c in rows_of(pattern.kinds[param]) if _parent_id(c, param) != parent.pk
                )
                picked.append(({**allowed_one, param: stranger}, False))
    return picked


def other_values(pattern):
    if not pattern.others:
        return [{}]
    ((param, values),) = pattern.others.items()
    return [{param: v} for v in values]
