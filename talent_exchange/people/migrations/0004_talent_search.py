"""The talent search (development app, issue 11): the search vector now also holds the
classification, the designations and the three assignments one would take, in English and
French (people/search.py), so every stored vector is recomputed; and an index for the
"at least N years of service" filter."""

from django.db import migrations, models


def refresh(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from talent_exchange.people.search import refresh_search_vectors

    refresh_search_vectors()


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0003_mobilityrecord_mobility_person_ended"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["years_of_service"], name="person_years_of_service"),
        ),
        migrations.RunPython(refresh, migrations.RunPython.noop),
    ]
