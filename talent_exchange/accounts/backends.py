"""Signing in with the e-mail address, in any case.

django-allauth's sign-in form sends what the person typed as ``email`` (when it looks like
an address) and as ``username``; this backend answers the first, Django's ``ModelBackend``
the second. allauth's own backend looks addresses up in lower case only, which misses the
addresses an administrator or an import stored as typed (``Dana.Endorser@…``).
"""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        email: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not email or password is None:
            return None
        User = get_user_model()
        users = list(User._default_manager.filter(email__iexact=email.strip()))
        if not users:
            User().set_password(password)  # as long as a real check (Django's #20760)
            return None
        matches = [u for u in users if u.check_password(password) and self.user_can_authenticate(u)]
        # Two accounts under one address (differing in case) with the same password: neither.
        return matches[0] if len(matches) == 1 else None


class NoUnknownModelPermissionBackend:
    """Between the rules backend and Django's ``ModelBackend``: a permission the rules refused
    and that no Django permission row can grant is refused here, without a query.

    Our permissions are ``rules`` (``*/rules.py``): names such as ``placements.list_placements``
    that are not model permissions. For each name the rules refuse, ``ModelBackend`` would
    still read the user's and their groups' permissions (two queries per request: the
    navigation asks about several such names). Model permissions — the ``add``/``change``/
    ``delete``/``view`` of each model and those a model declares, which an operator may give
    in the admin — still go on to ``ModelBackend``; so does every object permission (it
    answers those without a query)."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if obj is None and perm not in model_permissions():
            raise PermissionDenied  # stops Django's look-up: the answer is no
        return False


@functools.cache
def model_permissions() -> frozenset[str]:
    """``app_label.codename`` of every permission Django creates for the installed models."""
    names: set[str] = set()
    for model in apps.get_models():
        meta = model._meta
        codenames = [f"{action}_{meta.model_name}" for action in meta.default_permissions]
        codenames += [codename for codename, _name in meta.permissions]
        names.update(f"{meta.app_label}.{codename}" for codename in codenames)
    return frozenset(names)
