from django.db import migrations

STEWARDS = "reference-data-stewards"  # knowledge.rules.STEWARDS (a migration does not import app code)


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=STEWARDS)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STEWARDS).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, remove)]
