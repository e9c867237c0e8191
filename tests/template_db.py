"""The migrated test database, kept between test processes (SQLite in memory).

Migrating an empty database is most of a test process's start-up: well over a hundred
migrations, each re-rendering the model states, paid again by every xdist worker and every
run. The first process that migrates saves the result under ``var/test-db/``, in a file
named after a hash of every installed app's migration files (and Django's and SQLite's
versions); later processes copy that file into their in-memory database with SQLite's backup
API (milliseconds) instead of migrating. A changed, added or removed migration changes the
hash, so a stale copy is never used; ``rm -r var/test-db`` is always safe.

PostgreSQL runs (``DATABASE_URL``) and ``--nomigrations`` migrate as before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def folder() -> Path:
    return Path(settings.BASE_DIR) / "var" / "test-db"


def fingerprint() -> str:
    """A hash of everything that decides what ``migrate`` builds."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"{django.get_version()} {sqlite3.sqlite_version}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        module, _explicit = MigrationLoader.migrations_module(config.label)
        if module is None:
            continue
        path = Path(config.path) / "migrations"
        if module != f"{config.name}.migrations" or not path.is_dir():
            digest.update(f"{config.label}:{module}".encode())
            continue
        for file in sorted(path.glob("*.py")):
            digest.update(f"{config.label}/{file.name}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def install() -> None:
    """Make the next ``migrate`` of the test database set-up use (or save) the template."""
    from django.core import management

    migrate = management.call_command

    def call_command(name, *args, **options):
        if name != "migrate" or not options.get("run_syncdb"):
            return migrate(name, *args, **options)
        management.call_command = migrate  # only the set-up's own migrate, once
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return migrate(name, *args, **options)
        template = folder() / f"{fingerprint()}.sqlite3"
        connection.ensure_connection()
        if template.exists():
            source = sqlite3.connect(template)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            return None
        result = migrate(name, *args, **options)
        _save(connection.connection, template)
        return result

    management.call_command = call_command


def _save(database: sqlite3.Connection, template: Path) -> None:
    """Write the migrated database next to the others, atomically (two workers may race)."""
    template.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=template.parent, suffix=".part")
    os.close(descriptor)
    target = sqlite3.connect(partial)
    try:
        database.backup(target)
    finally:
        target.close()
    os.replace(partial, template)
    for stale in template.parent.glob("*.sqlite3"):  # templates of older migrations
        if stale != template:
            stale.unlink(missing_ok=True)
