"""PostgreSQL only: covering indexes for the dashboards (clinic.dashboards.figures), so that a province,
a district's subdistricts or an organisation's reports are read by an index-only scan of the columns the
figures need, at 1,000,000 reports (bench_clinic). SQLite keeps the model's plain indexes."""
from django.db import migrations

COVER = "status, category_id, area_id, due_date, created_at, closed_at"
INDEXES = {
    "clinic_report_province_cover": ("province_id", COVER),
    "clinic_report_area_cover": ("area_id", COVER.replace(", area_id", "")),
    "clinic_report_responsible_cover": ("responsible_id", COVER),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (key, cover) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON clinic_report ({key}) INCLUDE ({cover})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clinic", "0011_event_split")]
    operations = [migrations.RunPython(create, drop)]
