"""The one permission layer.

Every view either declares the permission it needs — ``@permission_required("app.perm")``
on a function, ``PermissionView`` subclasses with ``permission_required`` on a class — or is
in the short allowlist of public views (marked with Django's ``login_not_required``).
``PermissionRequiredMiddleware`` refuses every other view, so a view someone forgets to
protect is closed, not open. The rules themselves live in each app's ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from rules.contrib.views import PermissionRequiredMixin
from rules.contrib.views import permission_required as rules_permission_required


def require(user: Any, perm: str | None, obj: Any = None, message: Any = "") -> None:
    """The one permission check of the services: PermissionDenied (a 403 on a page, with
    ``message``) unless ``user`` has ``perm`` on ``obj``."""
    if perm is None:
        raise ValueError("require() needs a permission name")
    if not user.has_perm(perm, obj):
        raise PermissionDenied(str(message) if message else None)


# Set on an object fetched through its model's ``visible_to(user)``, with the user's id.
_SEEN_BY = "_te_visible_to_user"


def seen_through_scope(obj: Any, user: Any) -> Any:
    """Note that ``obj`` was just read from ``visible_to(user)``, so that a rule asking
    whether the user sees it (``in_scope``) need not ask the database again."""
    if obj is not None and user.pk is not None:
        obj.__dict__[_SEEN_BY] = user.pk
    return obj


def in_scope(obj: Any, user: Any) -> bool:
    """Whether ``obj`` was read from ``visible_to(user)`` in this request (see above). A rule
    of the form "the user sees it" answers True at once; otherwise it asks its query."""
    return user.pk is not None and obj.__dict__.get(_SEEN_BY) == user.pk


def get_for_user(model_or_queryset: Any, user: Any, pk: Any, perm: str, message: Any = "") -> Any:
    """The object a user may act on: 404 when it is outside ``visible_to(user)`` (they may
    not even know it exists), 403 when they see it but ``perm`` is denied (the 403 page says
    ``message`` when given).

    ``model_or_queryset`` is a model or one of its querysets (with its ``select_related``
    and ``prefetch_related``); its ``visible_to`` does the scoping."""
    queryset: Any = (
        model_or_queryset._default_manager.all()
        if isinstance(model_or_queryset, type) and issubclass(model_or_queryset, models.Model)
        else model_or_queryset
    )
    obj = seen_through_scope(get_object_or_404(queryset.visible_to(user), pk=pk), user)
    require(user, perm, obj, message)
    return obj


def permission_for_object(
    perm: str,
    model_or_queryset,
    *,
    kwarg: str = "pk",
    refusal: Any = "",
    get: Callable[..., Any] = get_for_user,
):
    """Guard a function view that acts on one object: the object named by the URL's
    ``kwarg`` is fetched once with ``get_for_user`` and passed to the view in its place::

        @permission_for_object("placements.view_placement", Placement.objects.with_parties())
        def placement_detail(request, placement): ...

    ``refusal``: what the 403 page tells someone who sees the object but may not do this.
    ``get``: a fetch with ``get_for_user``'s signature and answers that reads some objects a
    shorter way (``nominations.access.get_nomination_for_user``: a nominee's own).
    """

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            pk = kwargs.pop(kwarg)
            obj = get(model_or_queryset, request.user, pk, perm, refusal)
            return view(request, obj, *args, **kwargs)

        guarded.permission_required = perm
        return guarded

    return decorator


def permission_required(perm: str, fn: Callable | None = None):
    """Guard a function view with a rules permission; ``fn(request, *args, **kwargs)``
    returns the object to check against (None checks the permission on the kind)."""

    def decorator(view):
        guarded = rules_permission_required(perm, fn=fn, raise_exception=True)(view)
        guarded.permission_required = perm
        return guarded

    return decorator


class PermissionView(PermissionRequiredMixin):
    """Base for class views: ``permission_required`` is checked against
    ``get_permission_object()`` (the view's object, or None for list views)."""

    raise_exception = True

    def get_permission_object(self):
        has_object = hasattr(super(), "get_object") or (
            type(self).get_object is not PermissionView.get_object
        )
        if has_object and ("pk" in self.kwargs or "slug" in self.kwargs):
            self._permission_object = self.get_object()
            return self._permission_object
        return None

    def get_object(self, queryset=None):
        # The permission check fetched it already: the page does not ask the database twice.
        cached = getattr(self, "_permission_object", None)
        if cached is not None and queryset is None:
            return cached
        return super().get_object(queryset)


def declared_permission(view_func) -> str | tuple[str, ...] | None:
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission_required", None)
    return getattr(view_func, "permission_required", None)
