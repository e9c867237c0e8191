"""How django-allauth behaves here (ADR 0014)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from talent_exchange.core.client import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by administrators, invitations and imports (and, where a
        # deployment allows it, by single sign-on): never by a visitor on a sign-up form.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Failed passwords are django-axes' to count (accounts/lockout.py): per name typed
        # *and* address, so that nobody can lock someone else out. allauth's own counter
        # (per name alone) would let anyone do just that. Its counter still limits wrong
        # second-factor codes (ACCOUNT_RATE_LIMITS["login_failed"], per person).
        return None

    def get_client_ip(self, request: HttpRequest) -> str:
        # our reverse proxies only (TRUSTED_PROXY_COUNT); allauth refuses a request without one
        return client_ip(request) or super().get_client_ip(request)
