"""The shared cache's table (settings.CACHES: Django's database cache), made with the schema
and by the command Django gives for it, so that ``migrate`` is the only step a deployment
runs. A cache that is not in the database (the tests' memory) makes nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
