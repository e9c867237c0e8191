"""Each person's language: saved on their account, chosen in the footer's switcher (signed in
or not), offered when they choose their first password, and applied to every page they open
and every e-mail written to them (``notifications.services.notify``).

Without a saved language a person sees the language their browser asks for (Django's
``LocaleMiddleware``: the switcher's cookie, then ``Accept-Language``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import check_for_language
from django.views.i18n import set_language as django_set_language

from .models import User


def language_choices() -> list[tuple[str, Any]]:
    """The languages a person may choose (``settings.LANGUAGES``)."""
    return list(settings.LANGUAGES)


def is_offered(language: str) -> bool:
    return language in dict(settings.LANGUAGES) and check_for_language(language)


def offered_language(locale: str) -> str:
    """The language offered here closest to ``locale`` ("fr-CA" → "fr", "en-CA" → "en-ca",
    "en_US" → "en"), or "" when none is."""
    code = locale.replace("_", "-").lower()
    if is_offered(code):
        return code
    generic = code.split("-")[0]
    return generic if is_offered(generic) else ""


def save_language(user: User, language: str) -> bool:
    """Keep ``language`` as ``user``'s own (a person changes only their own). Returns whether
    it was saved (an unknown language is not)."""
    if not is_offered(language):
        return False
    if user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
    return True


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the cookie, the redirect to ``next``), and for a signed-in
    person the choice saved on their account, so that it follows them to other browsers and
    into their e-mail."""
    response = django_set_language(request)
    user = request.user
    if request.method == "POST" and user.is_authenticated and isinstance(user, User):
        save_language(user, request.POST.get("language", ""))
    return response


class UserLanguageMiddleware:
    """After ``LocaleMiddleware`` and the authentication: a signed-in person's saved language
    wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(getattr(request, "user", None), "language", "")
        if language and is_offered(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response: HttpResponse = self.get_response(request)
        return response
