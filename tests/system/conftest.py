"""Browser tests: Playwright drives Debian's Chromium, headless, against the live server.

The Playwright browser download does not work on our machines, so the tests launch the
system Chromium (``CHROMIUM`` overrides the path). ``make test`` installs it when missing.
"""

from __future__ import annotations

import os
import shutil

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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo data, as `make demo` loads it."""
    from talent_exchange.nonprod.demo_data import seed

    settings.DEMO_MAIL_DIR = tmp_path / "mail"
    return seed()


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


def sign_in(page, username: str, password: str = PASSWORD):
    """Sign in on the sign-in page with a user name or an e-mail address."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address or user name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
