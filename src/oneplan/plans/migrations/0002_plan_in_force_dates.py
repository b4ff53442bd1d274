from datetime import date

from django.db import migrations, models


def _fiscal_start(be_year):
    return date(be_year - 543 - 1, 10, 1)


def backfill(apps, schema_editor):
    """Plans announced before the dates existed: in force from their first fiscal year (or the day the
    workflow announced them), until the day their successor came into force."""
    Plan = apps.get_model("plans", "Plan")
    Transition = apps.get_model("governance", "Transition")
    announced = dict(Transition.objects.filter(to_status="in_force").values_list("plan_id", "at"))
    for plan in Plan.objects.filter(status__in=["in_force", "superseded"]):
        at = announced.get(plan.pk)
        plan.in_force_from = at.date() if at else _fiscal_start(plan.start_year)
        plan.save(update_fields=["in_force_from"])
    for plan in Plan.objects.filter(status="superseded"):
        nxt = (Plan.objects.filter(supersedes_id=plan.pk, in_force_from__isnull=False)
               .order_by("in_force_from").values_list("in_force_from", flat=True).first())
        plan.in_force_until = nxt or _fiscal_start(plan.end_year + 1)
        plan.save(update_fields=["in_force_until"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("governance", "0001_initial")]

    operations = [
        migrations.AddField("plan", "in_force_from", models.DateField(
            blank=True, editable=False, null=True, verbose_name="in force from")),
        migrations.AddField("plan", "in_force_until", models.DateField(
            blank=True, editable=False, null=True, verbose_name="in force until")),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
