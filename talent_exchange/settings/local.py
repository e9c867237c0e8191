"""Demo and development: embedded SQLite, debug pages, the persona switcher and a mailbox
that keeps every e-mail the app sends (readable at /demo/mail/)."""

import os
from pathlib import Path

os.environ.setdefault("DEMO_MODE", "true")

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "talent_exchange.nonprod.mail.DemoMailboxBackend")
AXES_FAILURE_LIMIT = 10
# Each instance keeps its mail beside its database, so two demos with different SQLITE_PATH
# (or DATABASE_URL names) never read each other's messages; DEMO_MAIL_DIR overrides it.
_DATABASE = DATABASES["default"]  # noqa: F405
DEMO_MAIL_DIR = Path(
    env_str(
        "DEMO_MAIL_DIR",
        str(
            SQLITE_PATH.with_name(SQLITE_PATH.stem + "-mail")  # noqa: F405
            if _DATABASE["ENGINE"].endswith("sqlite3")
            else BASE_DIR / "var" / f"mail-{_DATABASE['NAME']}"  # noqa: F405
        ),
    )
)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:" + env_str("PORT", "8000"))
