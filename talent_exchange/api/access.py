"""The API's permission checks: the same rules as the pages, answered in JSON.

Out of scope (not in the model's ``visible_to``) is a 404, as on the pages, so the API does
not reveal what exists; in scope but not allowed is a 403 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from talent_exchange.core.permissions import require as core_require
from talent_exchange.core.permissions import seen_through_scope


def require(user, perm: str, obj=None, reason: str | None = None) -> None:
    """The pages' one check (``core.permissions.require``), with the API's default reason."""
    core_require(user, perm, obj, reason or _("You may not do this (%(perm)s).") % {"perm": perm})


def get_visible(queryset: Any, user: Any, pk: int, what: str) -> Any:
    """The row ``pk`` among those this user may see (``queryset`` or a manager whose
    QuerySet has ``visible_to``), or a 404 saying so."""
    obj = queryset.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404(_("There is no %(what)s %(pk)s that you may see.") % {"what": what, "pk": pk})
    return seen_through_scope(obj, user)
