"""A back-up of the demo restored into an empty database: every table's row count and the
audit trail's checksum match. PostgreSQL only (pg_dump/pg_restore)."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from talent_exchange.operations import backup

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="back-up and restore use pg_dump/pg_restore: PostgreSQL runs only "
    "(DATABASE_URL=postgres://…); a SQLite trial database is one file to copy",
)


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database, dropped afterwards."""
    source = backup.Database.default()
    name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
    with source.connect(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    target = backup.Database(source.host, source.port, source.user, source.password, name)
    yield target
    with source.connect(autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(db: backup.Database) -> str:
    auth = db.user + (f":{db.password}" if db.password else "")
    return f"postgres://{auth}@{db.host}:{db.port}/{db.name}"


def test_a_backup_of_the_demo_restores_into_an_empty_database(
    seeded_demo, tmp_path, empty_database, capsys
):
    call_command("backup", str(tmp_path / "b"))
    manifest = (tmp_path / "b" / backup.MANIFEST).read_text()
    assert "audit_checksum" in manifest and (tmp_path / "b" / backup.DUMP).stat().st_size > 0

    call_command("restore", str(tmp_path / "b"), "--database-url", _url(empty_database))
    assert "every row count and the audit trail's checksum match" in capsys.readouterr().out

    with backup.Database.default().connect() as source, empty_database.connect() as restored:
        before, after = backup.describe(source), backup.describe(restored)
        history = backup.history_tables(restored)
    assert before == after  # every table, every row count, the audit trail
    assert len(before["tables"]) > 50
    assert len(history) > 10
    assert sum(before["tables"][t] for t in history) > 100  # the demo's audit trail is there
    assert before["tables"]["people_person"] > 0


def test_restore_refuses_a_database_that_is_not_empty(seeded_demo, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "b"))  # the live database itself


def test_a_changed_audit_trail_is_caught(seeded_demo, tmp_path, empty_database):
    """The check is real: a restored database whose history differs is reported."""
    call_command("backup", str(tmp_path / "b"))
    backup.restore(tmp_path / "b", empty_database)
    manifest = backup.json.loads((tmp_path / "b" / backup.MANIFEST).read_text())
    with empty_database.connect() as restored:
        table = next(  # a history table the demo wrote to
            t for t in backup.history_tables(restored) if manifest["tables"].get(t)
        )
        restored.execute(
            f'DELETE FROM "{table}" WHERE history_id = (SELECT min(history_id) FROM "{table}")'  # noqa: S608
        )
        found = backup.describe(restored)
    differences = backup.compare(manifest, found)
    assert "the audit trail's checksum differs" in differences


def test_a_backup_directory_is_never_overwritten(seeded_demo, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(tmp_path / "b"))
