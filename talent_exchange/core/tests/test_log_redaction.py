"""No token and no e-mail address reaches a log: the ``redact`` filter is on every handler,
and every URL with a secret in it is covered."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from talent_exchange.core.log_filters import RedactSecrets, redact

SECRET = "Zq8secretTOKENvalue-_42"
EMAIL = "ada.alpha+x@city-a.example.org"


def _our_handlers() -> list[logging.Handler]:
    """Every handler that writes somewhere (pytest's own capture handlers aside)."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return [
        handler
        for logger in loggers
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
        and not isinstance(handler, logging.NullHandler)  # libraries' "write nothing"
    ]


def test_every_configured_handler_redacts():
    handlers = _our_handlers()
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactSecrets) for f in handler.filters), handler


@pytest.fixture
def logged():
    """What the configured handlers write while the test runs."""
    stream = io.StringIO()
    handlers = _our_handlers()
    previous = [h.setStream(stream) for h in handlers if isinstance(h, logging.StreamHandler)]
    yield stream
    for handler, old in zip(
        [h for h in handlers if isinstance(h, logging.StreamHandler)], previous, strict=True
    ):
        handler.setStream(old)


def _assert_clean(text: str) -> None:
    assert SECRET not in text
    assert EMAIL not in text and "city-a.example.org" not in text


@pytest.mark.django_db
def test_requests_with_tokens_leave_no_token_in_the_logs(world, client_for, logged, caplog):
    client = client_for(world.users["coord_b"])
    # an endorsement link that is not (or no longer) valid: Django logs the path of the 404
    assert client.get(f"/nominations/endorse/{SECRET}/").status_code == 404
    # a password-reset link posted without its CSRF cookie: the 403 is logged with the path
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(f"/accounts/reset/MTIz/{SECRET}/").status_code == 403
    # a failed login with an e-mail address as the user name (django-axes logs it)
    Client().post(reverse("accounts:login"), {"username": EMAIL, "password": "wrong-password-1"})
    # the development server's request line, and a task's message with a link
    logging.getLogger("django.server").warning(
        '"GET /accounts/reset/MTIz/%s/?token=%s HTTP/1.1" 302 0', SECRET, SECRET
    )
    logging.getLogger("talent_exchange.tasks").error("Could not mail %s", EMAIL)
    try:
        raise ValueError(f"bad link /nominations/endorse/{SECRET}/")
    except ValueError:
        logging.getLogger("talent_exchange.tasks").exception("failed")

    text = logged.getvalue()
    assert "/nominations/endorse/[redacted]/" in text
    assert "/accounts/reset/[redacted]/[redacted]/" in text
    assert "[e-mail]" in text
    _assert_clean(text)
    _assert_clean(caplog.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/nominations/endorse/abc/", "/nominations/endorse/[redacted]/"),
        ("/accounts/reset/MQ/set-password/", "/accounts/reset/[redacted]/[redacted]/"),
        ("/accounts/reset/done/", "/accounts/reset/done/"),
        ("https://x.example/feed?token=abc&x=1", "https://x.example/feed?token=[redacted]&x=1"),
        ("GET /a?next=1&Token=abc", "GET /a?next=1&Token=[redacted]"),
        ("login by {'username': 'a.b@c.example'}", "login by {'username': '[e-mail]'}"),
        ("/people/?q=a.b%40c.example", "/people/?q=[e-mail]"),
        ("/people/12/edit/", "/people/12/edit/"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


SECRET_PARAMETER = re.compile(r"<(?:\w+:)?(\w*(?:token|uidb64|key|secret)\w*)>")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_url_with_a_secret_in_its_path_is_redacted():
    routes = [r for r in _routes(get_resolver().url_patterns) if SECRET_PARAMETER.search(r)]
    assert len(routes) >= 2  # the endorsement link and the password-reset link
    for route in routes:
        path = "/" + SECRET_PARAMETER.sub(SECRET, route)
        assert SECRET not in redact(f"Not Found: {path}"), f"{route} is not in SECRET_PATHS"
