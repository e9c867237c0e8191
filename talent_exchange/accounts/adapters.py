"""How django-allauth behaves here (ADR 0013)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are made by administrators, invitations and imports (and, where a
        # deployment allows it, by single sign-on): never by a visitor on a sign-up form.
        return False
