"""Signing in with the e-mail address, in any case.

django-allauth's sign-in form sends what the person typed as ``email`` (when it looks like
an address) and as ``username``; this backend answers the first, Django's ``ModelBackend``
the second. allauth's own backend looks addresses up in lower case only, which misses the
addresses an administrator or an import stored as typed (``Dana.Endorser@…``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
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
