"""Back-up and restore of a PostgreSQL database, proven by a manifest.

``take(directory)`` writes ``database.dump`` (``pg_dump`` custom format) and
``manifest.json``: every table's row count and a checksum of the audit trail (every history
table, row by row, in order), computed in the same snapshot the dump reads, so they describe
exactly what the dump holds. ``restore(directory, url)`` loads the dump into an **empty**
database in one transaction and checks the counts and the checksum against the manifest.

The app keeps no files outside the database (uploads are stored in it), so the dump is the
whole back-up.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from psycopg import sql

DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A back-up or restore that cannot be done or does not match its manifest."""


@dataclass
class Database:
    """Connection parameters, for psycopg and for pg_dump/pg_restore (as PG* variables, so a
    password never appears on a command line)."""

    host: str
    port: str
    user: str
    password: str
    name: str

    @classmethod
    def default(cls) -> Database:
        config = settings.DATABASES["default"]
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(
                "Back-up and restore need PostgreSQL; a SQLite trial database is one file: copy "
                "it with `sqlite3 FILE '.backup COPY'`."
            )
        return cls(
            host=str(config.get("HOST") or "localhost"),
            port=str(config.get("PORT") or "5432"),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            name=str(config["NAME"]),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        config = dj_database_url.parse(url)
        return cls(
            host=str(config.get("HOST") or "localhost"),
            port=str(config.get("PORT") or "5432"),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
            name=str(config["NAME"]),
        )

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.name,
        }

    def connect(self, **kwargs: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user or None,
            password=self.password or None,
            dbname=self.name,
            **kwargs,
        )


def take(directory: Path, database: Database | None = None) -> dict[str, Any]:
    """Write a consistent back-up into ``directory`` (created; must not hold one already).
    Returns the manifest."""
    database = database or Database.default()
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / DUMP).exists():
        raise BackupError(f"{directory / DUMP} exists already; choose a new directory.")
    with database.connect(autocommit=True) as conn:
        # One snapshot for the dump and the manifest: pg_dump reads the exported snapshot
        # while this transaction holds it.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        manifest = describe(conn)
        run = subprocess.run(  # noqa: S603 (fixed program, arguments ours)
            [
                _program("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={directory / DUMP}",
            ],
            env=database.env(),
            capture_output=True,
            text=True,
        )
        conn.execute("ROLLBACK")
    if run.returncode:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
    manifest.update(
        {
            "taken_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "dump_sha256": _sha256(directory / DUMP),
            "pg_dump": _version("pg_dump"),
        }
    )
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def restore(directory: Path, database: Database) -> dict[str, Any]:
    """Load the back-up in ``directory`` into the empty ``database`` and prove it: the same
    row count in every table and the same audit-trail checksum as when it was taken."""
    manifest = json.loads((directory / MANIFEST).read_text())
    if _sha256(directory / DUMP) != manifest["dump_sha256"]:
        raise BackupError(f"{directory / DUMP} is not the file the manifest describes.")
    with database.connect() as conn:
        tables = _tables(conn)
    if tables:
        raise BackupError(
            f"The database {database.name} is not empty ({len(tables)} tables); restore only "
            "into a new, empty database."
        )
    run = subprocess.run(  # noqa: S603
        [
            _program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.name}",
            str(directory / DUMP),
        ],
        env=database.env(),
        capture_output=True,
        text=True,
    )
    if run.returncode:
        raise BackupError(f"pg_restore failed: {run.stderr.strip()}")
    with database.connect() as conn:
        found = describe(conn)
    differences = compare(manifest, found)
    if differences:
        raise BackupError(
            "The restored database differs from the back-up: " + "; ".join(differences)
        )
    return found


def describe(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Every table's row count and the audit trail's checksum, as ``conn`` sees them."""
    counts = {}
    for table in _tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        counts[table] = conn.execute(query).fetchone()[0]  # type: ignore[index]
    return {"tables": counts, "audit_checksum": audit_checksum(conn)}


def audit_checksum(conn: psycopg.Connection[Any]) -> str:
    """SHA-256 over every history table's rows in history order (each row as PostgreSQL
    writes it as text): any row lost, added or changed changes it."""
    digest = hashlib.sha256()
    for table in history_tables(conn):
        query = sql.SQL(
            "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.history_id)), '') FROM {} t"
        ).format(sql.Identifier(table))
        digest.update(f"{table}:{conn.execute(query).fetchone()[0]}\n".encode())  # type: ignore[index]
    return digest.hexdigest()


def history_tables(conn: psycopg.Connection[Any]) -> list[str]:
    """The audit trail: django-simple-history's tables (each has a ``history_id``)."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_name = 'history_id' AND table_name LIKE '%%historical%%' ORDER BY table_name"
    ).fetchall()
    return [row[0] for row in rows]


def compare(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    differences = []
    for table, count in sorted(expected["tables"].items()):
        if found["tables"].get(table) != count:
            differences.append(f"{table}: {count} rows backed up, {found['tables'].get(table)} now")
    for table in sorted(set(found["tables"]) - set(expected["tables"])):
        differences.append(f"{table}: not in the back-up")
    if expected["audit_checksum"] != found["audit_checksum"]:
        differences.append("the audit trail's checksum differs")
    return differences


def _tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [row[0] for row in rows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _version(program: str) -> str:
    return subprocess.run(  # noqa: S603
        [_program(program), "--version"], capture_output=True, text=True
    ).stdout.strip()
