"""Fetch-and-check for a nomination, with a short way for the nominee's own (issue 17).

A participant's ranking page and nomination page are half of the participants' clicks, and
each read the nomination through ``Nomination.objects.visible_to(user)``: a union of every
way in (panels, endorsements, supervision, one's own), compiled by the ORM on every request.
``visible_to`` always holds a person's own nominations, so for a participant their own is
read by its key and its person (one indexed look-up) and noted as seen through the scope;
anyone else's goes through ``core.permissions.get_for_user`` as before (404 out of scope,
403 not allowed). ``tests/test_access.py`` checks both ways agree for every user.
"""

from __future__ import annotations

from typing import Any

from talent_exchange.accounts.roles import roles_of
from talent_exchange.core.permissions import get_for_user, require, seen_through_scope


def get_nomination_for_user(queryset: Any, user: Any, pk: Any, perm: str, message: Any = "") -> Any:
    """``get_for_user(queryset, user, pk, perm, message)``, a participant's own nomination
    read without the union of ``visible_to``. Views take it through
    ``permission_for_object(..., get=get_nomination_for_user)``."""
    roles = roles_of(user)
    if roles.is_participant and roles.person_id:
        own = next(iter(queryset.filter(pk=pk, person_id=roles.person_id).order_by()[:1]), None)
        if own is not None:
            seen_through_scope(own, user)  # visible_to(user) holds every nomination of theirs
            require(user, perm, own, message)
            return own
    return get_for_user(queryset, user, pk, perm, message)
