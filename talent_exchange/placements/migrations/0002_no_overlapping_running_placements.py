"""On PostgreSQL, the database itself refuses two running placements of one person whose
dates overlap: an exclusion constraint over (person, daterange(start, end)) limited to the
running states. It needs the btree_gist extension (for ``person_id WITH =`` in a GiST
index). SQLite has neither, so both operations do nothing there; the service layer's check
(``services._refuse_overlap``) is what protects a SQLite deployment."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "placement_no_overlapping_running"

ADD = f"""
ALTER TABLE placements_placement ADD CONSTRAINT {CONSTRAINT}
EXCLUDE USING gist (
    person_id WITH =,
    daterange(start_date, end_date, '[]') WITH &&
) WHERE (status IN ('active', 'extended'));
"""
DROP = f"ALTER TABLE placements_placement DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


class PostgresOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class BtreeGistOnPostgres(BtreeGistExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Other apps may use the extension too: leave it in place.
        pass


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [
        BtreeGistOnPostgres(),
        PostgresOnly(sql=ADD, reverse_sql=DROP),
    ]
