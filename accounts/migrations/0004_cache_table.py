from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # The database cache that stands in for Redis while it is down (sg17portal.cache); a no-op without one.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_site_from_settings")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
