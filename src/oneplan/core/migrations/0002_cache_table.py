from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The default cache is the database (settings.CACHES): rate limits shared by every process.
    # createcachetable does nothing for other backends or when the table exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_submission_token")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
