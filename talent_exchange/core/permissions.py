"""The one permission layer.

Every view either declares the permission it needs — ``@permission_required("app.perm")``
on a function, ``PermissionView`` subclasses with ``permission_required`` on a class — or is
in the short allowlist of public views (marked with Django's ``login_not_required``).
``PermissionRequiredMiddleware`` refuses every other view, so a view someone forgets to
protect is closed, not open. The rules themselves live in each app's ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from rules.contrib.views import PermissionRequiredMixin
from rules.contrib.views import permission_required as rules_permission_required


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
        if hasattr(self, "get_object") and ("pk" in self.kwargs or "slug" in self.kwargs):
            return self.get_object()
        return None


def declared_permission(view_func) -> str | tuple[str, ...] | None:
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission_required", None)
    return getattr(view_func, "permission_required", None)
