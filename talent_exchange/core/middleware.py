"""Deny by default: a view with no declared permission is refused."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied

from .permissions import declared_permission

logger = logging.getLogger(__name__)

# The Django admin checks every request through ModelAdmin.has_*_permission, which asks the
# same rules backend (``user.has_perm``), and only lets staff in.
DELEGATED_NAMESPACES = {"admin"}


class PermissionRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True) is False:
            return None  # the reviewed allowlist (see tests/test_url_permissions.py)
        match = request.resolver_match
        if match is not None and match.namespaces and match.namespaces[0] in DELEGATED_NAMESPACES:
            return None
        if declared_permission(view_func) is None:
            logger.error("Refused %s: the view declares no permission.", request.path)
            raise PermissionDenied("This page has no permission rule, so it is closed.")
        return None
