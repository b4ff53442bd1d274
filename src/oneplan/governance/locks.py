"""Published editions are immutable: besides the permission rules (plans.change_plan), the models
themselves refuse a change to a published plan's content when a signed-in user causes it. System
jobs (reference and demo loaders, run without a user) keep updating reference plans in place."""
from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction

from oneplan.core.middleware import current_user
from oneplan.plans.models import BudgetLine, Plan
from oneplan.plans.models.plans import PUBLISHED_STATUSES

from .audit import plan_id_of, refuse

_bypass = contextvars.ContextVar("oneplan_published_lock_bypass", default=False)
# Plans created in the transaction under way (an import of a plan already in force): filling in a new
# plan is not changing a published edition. Forgotten when the transaction commits.
_created_here = contextvars.ContextVar("oneplan_plans_created_here", default=None)
# A plan's workflow moves it between statuses; only its content is frozen.
PLAN_STATE_FIELDS = {"status", "version", "updated_at"}


class PublishedPlanLocked(PermissionDenied):
    pass


@contextmanager
def allow_published_changes():
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def mark_created(plan_id: int):
    created = _created_here.get()
    if created is None:
        created = set()
        _created_here.set(created)
    created.add(plan_id)
    transaction.on_commit(lambda: created.discard(plan_id))


def _created_in_this_transaction(plan_id) -> bool:
    return plan_id in (_created_here.get() or ())


def _locked_plan(instance, before: dict | None, update_fields=None) -> int | None:
    """The id of the published plan this save would change, or None if the save is allowed."""
    if isinstance(instance, Plan):
        if before is None or before.get("status") not in PUBLISHED_STATUSES:
            return None
        # Only workflow steps (status alone) may save a published plan. Any other save is refused even
        # if nothing differs: a re-import saves the plan first, then bulk-creates rows no signal sees.
        return None if update_fields and set(update_fields) <= PLAN_STATE_FIELDS else instance.pk
    if isinstance(instance, BudgetLine) and instance.stage != "plan":
        return None  # budget requests, allocations and disbursements are recorded against plans in force
    plan_id = plan_id_of(instance)
    if _created_in_this_transaction(plan_id):
        return None
    status = Plan.objects.filter(pk=plan_id).values_list("status", flat=True).first() if plan_id else None
    return plan_id if status in PUBLISHED_STATUSES else None


def check_not_published(instance, before: dict | None, update_fields=None):
    user = current_user()
    if user is None or _bypass.get():
        return
    plan_id = _locked_plan(instance, before, update_fields)
    if plan_id is not None:
        raise refuse(user, f"แผนนี้ประกาศใช้/เผยแพร่แล้ว จึงแก้ไข “{instance._meta.verbose_name}” ไม่ได้ "
                           f"— ให้จัดทำฉบับใหม่ (ทบทวน เพิ่มเติม แก้ไข หรือเปลี่ยนแปลง) [{instance._meta.label}]",
                     plan=plan_id, obj=instance, exc_class=PublishedPlanLocked)
