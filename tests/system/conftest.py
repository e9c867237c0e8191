"""Browser tests: Playwright drives Debian's Chromium, headless, against the live server.

The Playwright browser download does not work on our machines, so the tests launch the
system Chromium (``CHROMIUM`` overrides the path). ``make test`` installs it when missing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Run `make test` (it installs Debian's chromium "
            "as root) or: sudo apt-get install -y chromium"
        )
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (the context's 15 s below), not Playwright's 5 s:
    # on two cores shared with a second suite, a page can take longer than 5 s to arrive.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo data, as `make demo` loads it (seeded today, as the browser sees it).

    On SQLite in memory the first test seeds it and keeps a copy of the whole database
    (SQLite's backup API, a few milliseconds); the next tests start from that copy instead
    of seeding again, so each still begins with exactly what `make demo` builds. Elsewhere
    (PostgreSQL) each test seeds it."""
    from talent_exchange.nonprod.demo_data import seed

    settings.DEMO_MAIL_DIR = tmp_path / "mail"
    if not _in_memory_sqlite():
        return seed()
    if _DEMO_COPY:
        _restore(_DEMO_COPY[0])
        return _DEMO_COPY[1]
    summary = seed()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    _raw_connection().backup(copy)
    _DEMO_COPY[:] = [copy, summary]
    return summary


_DEMO_COPY: list = []  # [the copied database, the seed's summary], for the session


def _in_memory_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _raw_connection() -> sqlite3.Connection:
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def _restore(copy: sqlite3.Connection) -> None:
    """Put the copied demo back, ids and all, and forget what was cached about the rows the
    previous test's flush re-created (content types)."""
    from django.contrib.contenttypes.models import ContentType

    copy.backup(_raw_connection())
    ContentType.objects.clear_cache()


@pytest.fixture
def new_page(browser, live_server, settings):
    """Open pages in fresh browser contexts; any script error on them fails the test. The
    e-mails' links point at the live server (they are built from SITE_URL)."""
    settings.SITE_URL = live_server.url
    contexts = []
    errors: list[str] = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: _console_error(page, message, errors))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, "Script errors in the browser:\n" + "\n".join(errors)


def _console_error(page, message, errors: list[str]) -> None:
    # A 404 or 403 status is logged as "Failed to load resource"; the tests expect those.
    if message.type == "error" and "Failed to load resource" not in message.text:
        errors.append(f"{page.url}: {message.text}")


PASSWORD = "demo-password-2026"


def sign_in(page, username: str, password: str = PASSWORD, *, through_the_pages: bool = False):
    """Sign in with a user name or an e-mail address and open the dashboard.

    By default the browser gets the session a finished sign-in leaves (the password is
    checked; the second factor counts as done, as ``Client.force_login`` in the root
    conftest): the sign-in and two-factor pages cost several page loads, and most journeys
    are about what comes after. Journeys about signing in pass ``through_the_pages=True``
    and go through the pages as the person would: with the code of their authenticator app
    when they have one, and setting the app up first when their role needs a second factor
    (accounts/two_factor.py); test_two_factor.py walks those pages itself."""
    if not through_the_pages:
        _open_session(page, username, password)
        page.goto("/")
        return
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address or user name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    path = page.url.split("://", 1)[-1].partition("/")[2].split("?")[0]
    if path == "accounts/2fa/authenticate/":
        page.get_by_label("Code").fill(_next_code(_secret_of(username)))
        page.get_by_role("button", name="Sign In").click()
    elif path == "accounts/2fa/":
        set_up_authenticator_app(page, password)
        page.goto("/")
    page.wait_for_url("**/")


def _open_session(page, username: str, password: str) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.test import Client

    user = get_user_model().objects.get(Q(username=username) | Q(email__iexact=username))
    assert user.is_active and user.check_password(password), f"{username} cannot sign in"
    client = Client()
    client.force_login(user)  # two factors done (the root conftest's fixture)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": settings.SITE_URL}]
    )


def set_up_authenticator_app(page, password: str = PASSWORD) -> str:
    """Set up an authenticator app from the two-factor page; returns its secret."""
    page.goto("/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(_next_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/recovery-codes/")
    return secret


_LAST_CODE: dict[str, str] = {}


def _next_code(secret: str) -> str:
    """The app's code; a code is accepted once, so a second sign-in within the same 30
    seconds types the next step's code (the server accepts one step of drift)."""
    import time

    import pyotp

    app = pyotp.TOTP(secret)
    code = app.now()
    if _LAST_CODE.get(secret) == code:
        code = app.at(time.time() + 30)
    _LAST_CODE[secret] = code
    return code


def _secret_of(login: str) -> str:
    from allauth.mfa.models import Authenticator
    from django.db.models import Q

    return Authenticator.objects.get(
        Q(user__username=login) | Q(user__email__iexact=login), type="totp"
    ).data["secret"]
