"""Generic audit and the published-edition lock, on the plan models and governance's own models."""
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from oneplan.core.middleware import current_user
from oneplan.plans.models import Plan
from oneplan.plans.signals import plan_loaded

from .audit import TRACKED, record_change, stored_snapshot
from .locks import check_not_published, check_plan_delete
from .models import AuditAction, AuditEntry


def _tracked(sender) -> bool:
    return sender in TRACKED


@receiver(pre_save)
def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _tracked(sender):
        return
    before = stored_snapshot(instance)
    check_not_published(instance, before, update_fields)
    instance._audit_before = before


@receiver(post_save)
def after_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _tracked(sender):
        return
    record_change(instance, None if created else getattr(instance, "_audit_before", None))
    instance._audit_before = None


@receiver(pre_delete)
def before_delete(sender, instance, **kwargs):
    """Deleting is writing: a frozen edition loses nothing, whoever asks (the admin included)."""
    if not _tracked(sender):
        return
    if sender is Plan:
        check_plan_delete(instance)
    else:
        check_not_published(instance, None)


@receiver(post_delete)
def after_delete(sender, instance, **kwargs):
    if _tracked(sender):
        record_change(instance, None, deleted=True)


@receiver(plan_loaded)
def after_plan_loaded(sender, plan, report, **kwargs):
    """A whole plan written by load_plan (import, new edition, reference data): its bulk inserts fire no
    row signals, so the load is kept as one entry with what it created, changed and removed."""
    AuditEntry.objects.create(
        user=current_user(), action=AuditAction.UPDATE, model="plans.Plan", object_id=str(plan.pk),
        object_repr=plan.title_th[:300], plan=plan,
        changes={"created": [None, report.created], "updated": [None, report.updated],
                 "removed": [None, report.removed], "links": [None, report.links]},
        message=(f"โหลดทั้งแผน: สร้าง {report.created} แก้ไข {report.updated} ลบ {report.removed} "
                 f"รายการ เชื่อมโยง {report.links}"))
