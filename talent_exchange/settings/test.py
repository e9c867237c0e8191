"""The test suite: whatever DATABASE_URL says (SQLite in memory when unset), fast hashing,
mail kept in memory, demo mode on so the persona switcher can be tested."""

import os

os.environ.setdefault("DEMO_MODE", "true")

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-not-secret-" + "t" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
# in memory, emptied around each test (conftest.py); the database cache is tested on its own
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 3
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
