"""Frozen editions are immutable, for everyone, where the data is written.

Once a plan leaves its editor (submitted to a committee, approved, announced, superseded: see
plans.editions.FROZEN_STATUSES) its content — elements, KPIs and targets, projects and planned
budgets, links — cannot change: not through a view, not for a superuser in the admin, not by a
queryset update or delete, not by a bulk insert. The model signals (save, delete) and the guarded
querysets of the plan models (plans.models.guard) call `check_rows` before writing.

What may still change on a frozen plan: its workflow state (status and dates, by governance.services),
workflow records, and budget lines past the planning stage (requests, allocations, disbursements are
recorded against the plan in force). The operator's reference loaders update frameworks in place
inside `allow_published_changes()`; nothing else may.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied

from oneplan.core import generations
from oneplan.core.middleware import current_user
from oneplan.plans.editions import FROZEN_STATUSES
from oneplan.plans.graph import EDITIONS_IN_FORCE
from oneplan.plans.models import KPI, BudgetLine, Element, KPITarget, Link, Plan, Project

from .audit import refuse, snapshot

_bypass = contextvars.ContextVar("oneplan_published_lock_bypass", default=False)
# A plan's workflow moves it between statuses and dates; only its content is frozen.
PLAN_STATE_FIELDS = {"status", "version", "updated_at", "in_force_from", "in_force_until"}
CONTENT_MODELS = (Element, Link, KPI, KPITarget, Project, BudgetLine)


class PublishedPlanLocked(PermissionDenied):
    pass


@contextmanager
def allow_published_changes():
    """For the operator's reference and demo loaders only (they rewrite frameworks in place)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)
        # frozen content may have changed: stored national contributions are stale (plans.graph)
        generations.changed(EDITIONS_IN_FORCE)


def bypassed() -> bool:
    return _bypass.get()


def _plan_ids(model, rows) -> set[int]:
    """The plans the given rows (instances) belong to, in one query per model."""
    if model is Element:
        return {r.plan_id for r in rows}
    if model is Link:
        ids = {r.source_id for r in rows}
        return set(Element.objects.filter(pk__in=ids).values_list("plan_id", flat=True))
    if model in (KPI, Project):
        ids = {r.element_id for r in rows}
        return set(Element.objects.filter(pk__in=ids).values_list("plan_id", flat=True))
    if model is KPITarget:
        return set(KPI.objects.filter(pk__in={r.kpi_id for r in rows}).values_list("element__plan_id", flat=True))
    if model is BudgetLine:
        ids = {r.project_id for r in rows if r.stage == "plan"}
        return set(Project.objects.filter(pk__in=ids).values_list("element__plan_id", flat=True)) if ids else set()
    return set()


def _frozen(plan_ids) -> int | None:
    plan_ids = {p for p in plan_ids if p is not None}
    if not plan_ids:
        return None
    return Plan.objects.filter(pk__in=plan_ids, status__in=FROZEN_STATUSES).values_list("pk", flat=True).first()


def _refuse(plan_id: int, model, obj=None):
    label = model._meta.verbose_name
    return refuse(current_user(), f"แผนนี้ส่งพิจารณา/ประกาศใช้แล้ว จึงแก้ไข “{label}” ไม่ได้ — ให้จัดทำฉบับใหม่ "
                                  f"(ทบทวน เพิ่มเติม แก้ไข หรือเปลี่ยนแปลง) หรือรอให้คณะกรรมการส่งคืน "
                                  f"[{model._meta.label}]",
                  plan=plan_id, obj=obj, exc_class=PublishedPlanLocked)


def check_plans(model, plan_ids, obj=None):
    """Refuse writing rows of `model` that belong to these plans if any of them is frozen."""
    if _bypass.get() or model not in CONTENT_MODELS:
        return
    plan_id = _frozen(plan_ids)
    if plan_id is not None:
        raise _refuse(plan_id, model, obj)


def check_rows(model, rows, obj=None):
    """Refuse writing these rows (instances) of `model` if any belongs to a frozen plan."""
    if not _bypass.get() and model in CONTENT_MODELS:
        check_plans(model, _plan_ids(model, rows), obj)


def check_plan_save(instance: Plan, before: dict | None, update_fields=None):
    """A frozen plan's own row: only workflow fields (status, dates) may change."""
    if _bypass.get() or before is None or before.get("status") not in FROZEN_STATUSES:
        return
    if update_fields and set(update_fields) <= PLAN_STATE_FIELDS:
        return
    after = snapshot(instance)
    if any(after.get(k) != v for k, v in before.items() if k not in PLAN_STATE_FIELDS):
        raise _refuse(instance.pk, Plan, instance)


def check_plan_delete(instance: Plan):
    if not _bypass.get() and instance.status in FROZEN_STATUSES:
        raise _refuse(instance.pk, Plan, instance)


def check_not_published(instance, before: dict | None, update_fields=None):
    """pre_save / pre_delete entry point for one instance of a tracked model."""
    if isinstance(instance, Plan):
        check_plan_save(instance, before, update_fields)
    else:
        rows = [instance]
        if isinstance(instance, BudgetLine) and before and before.get("stage") == "plan":
            rows.append(BudgetLine(project_id=before.get("project_id"), stage="plan"))  # moved out of "plan"
        check_rows(type(instance), rows, obj=instance)
