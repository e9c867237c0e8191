"""Settings fail loudly on bad values; production refuses unsafe ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from talent_exchange.settings.env import env_bool, env_int, env_list, env_str


def test_env_readers(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_BOOL", "Yes")
    assert env_bool("X_BOOL", False) is True
    monkeypatch.setenv("X_INT", "12x")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    with pytest.raises(ImproperlyConfigured, match="required"):
        env_str("X_MISSING_FOR_SURE")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "from-a-file"


PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.production",
    "SECRET_KEY": "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "talent.example.org",
    "DEMO_MODE": "false",
}


def _run_with(env_changes: dict, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEMO_MODE")}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SETUP = "import django; django.setup(); "


# What the production settings give, read in one process started with them (a process
# costs seconds; the tests below each read their part).
PRODUCTION_CHECKS = SETUP + (
    "import json\n"
    "from django.conf import settings as s\n"
    "from django.test import Client\n"
    "from django.urls import NoReverseMatch, reverse, resolve, Resolver404\n"
    "routed = []\n"
    "for name in ('nonprod:switch', 'nonprod:mailbox'):\n"
    "    try:\n        reverse(name)\n    except NoReverseMatch:\n        pass\n"
    "    else:\n        routed.append(name)\n"
    "try:\n    resolve('/demo/switch/')\nexcept Resolver404:\n    pass\n"
    "else:\n    routed.append('/demo/switch/')\n"
    "client = Client(HTTP_HOST='talent.example.org')\n"
    "health = client.get('/healthz')\n"
    "login = client.get('/accounts/login/')\n"
    "print(json.dumps({\n"
    "    'demo_mode': s.DEMO_MODE, 'routed': routed,\n"
    "    'headers': [s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,\n"
    "                s.SECURE_SSL_REDIRECT],\n"
    "    'health': [health.status_code, login.status_code, login.get('Location')],\n"
    "}))\n"
)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    result = _run_with({**PROD_ENV, "SQLITE_PATH": str(database)}, PRODUCTION_CHECKS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_has_no_persona_switcher_and_no_demo_mailbox(production):
    assert production["demo_mode"] is False
    assert production["routed"] == [], "routed in production"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DEMO_MODE": "true"}, "DEMO_MODE must be off"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({"DEBUG": "perhaps"}, "is not a boolean"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "only PostgreSQL and SQLite"),
    ],
)
def test_production_refuses_unsafe_settings(change, message):
    result = _run_with({**PROD_ENV, **change}, SETUP)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_security_headers_settings(production):
    assert production["headers"] == [31536000, True, True, True]


def test_sqlite_write_transactions_are_immediate(db):  # db: the connection is open
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL locks rows with select_for_update")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.transaction_mode == "IMMEDIATE"


def test_idle_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert "talent_exchange.core.sessions.SlidingSessionMiddleware" in settings.MIDDLEWARE


def test_production_health_check_answers_plain_http_and_everything_else_redirects(production):
    assert production["health"] == [200, 301, "https://talent.example.org/accounts/login/"]


def test_two_demo_instances_keep_separate_mailboxes(tmp_path):
    """Issue 19 item 8: two demos with different SQLITE_PATH do not share a mail folder."""
    code = "from django.conf import settings; print(settings.DEMO_MAIL_DIR)"
    folders = []
    for name in ("one", "two"):
        env = {
            "DJANGO_SETTINGS_MODULE": "talent_exchange.settings.local",
            "SQLITE_PATH": str(tmp_path / name / "demo.sqlite3"),
        }
        result = _run_with(env, code)
        assert result.returncode == 0, result.stderr
        folders.append(result.stdout.strip())
    assert folders[0] != folders[1]
    assert folders[0].startswith(str(tmp_path / "one"))
