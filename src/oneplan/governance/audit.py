"""The audit trail: field values before and after every change of the tracked models, and every
refused action (also written to the "oneplan.security" log)."""
from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile

from oneplan.core.middleware import current_user
from oneplan.plans.models import KPI, BudgetLine, Element, KPITarget, Link, Plan, Project

from .models import AuditAction, AuditEntry, CalendarDeadline, Transition

security_log = logging.getLogger("oneplan.security")

TRACKED = (Plan, Element, Link, KPI, KPITarget, Project, BudgetLine, Transition, CalendarDeadline)
# Derived or bookkeeping columns: recomputed on every save, they would only add noise.
SKIP_FIELDS = {"search_text", "title_normalised", "updated_at", "created_at", "at"}
# Models whose plan is reached through an element id (KPI and Project use the element as primary key).
_ELEMENT_ATTR = {KPI: "element_id", Project: "element_id", KPITarget: "kpi_id", BudgetLine: "project_id",
                 Link: "source_id"}


def _json(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance) -> dict:
    return {f.attname: _json(getattr(instance, f.attname)) for f in instance._meta.concrete_fields
            if f.attname not in SKIP_FIELDS}


def stored_snapshot(instance) -> dict | None:
    """The row as it is in the database before this save (None for a new row)."""
    if instance._state.adding or instance.pk is None:
        return None
    names = [f.attname for f in instance._meta.concrete_fields if f.attname not in SKIP_FIELDS]
    row = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    return {k: _json(v) for k, v in row.items()} if row else None


def plan_id_of(instance) -> int | None:
    if isinstance(instance, Plan):
        return instance.pk
    if isinstance(instance, (Element, Transition)):
        return instance.plan_id
    attr = _ELEMENT_ATTR.get(type(instance))
    if attr is None:
        return None
    return Element.objects.filter(pk=getattr(instance, attr)).values_list("plan_id", flat=True).first()


def _label(instance) -> str:
    return f"{instance._meta.app_label}.{instance._meta.model_name}"


def _repr(instance) -> str:
    try:
        return str(instance)[:300]
    except Exception:  # a half-deleted related row must not stop the trail
        return f"#{instance.pk}"


def record_change(instance, before: dict | None, *, deleted: bool = False) -> AuditEntry | None:
    after = None if deleted else snapshot(instance)
    if deleted:
        changes = {k: [v, None] for k, v in (before or snapshot(instance)).items()}
        action = AuditAction.DELETE
    elif before is None:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
        action = AuditAction.TRANSITION if isinstance(instance, Transition) else AuditAction.CREATE
    else:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        action = AuditAction.UPDATE
        if not changes:
            return None
    return AuditEntry.objects.create(
        user=current_user(), action=action, model=_label(instance), object_id=str(instance.pk or ""),
        object_repr=_repr(instance), plan_id=plan_id_of(instance), changes=changes)


def record_refusal(user, message: str, *, plan=None, obj=None) -> AuditEntry:
    """A refused action: kept in the trail and written to the security log."""
    user = user if getattr(user, "is_authenticated", False) else None
    security_log.warning("refused: user=%s plan=%s %s", getattr(user, "username", "-"),
                         getattr(plan, "pk", plan), message)
    return AuditEntry.objects.create(
        user=user, action=AuditAction.REFUSED, model=_label(obj) if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""), object_repr=_repr(obj) if obj is not None else "",
        plan_id=getattr(plan, "pk", plan), message=message[:2000])


def refuse(user, message: str, *, plan=None, obj=None, exc_class=PermissionDenied) -> PermissionDenied:
    """Record a refusal and return the exception to raise (marked so the middleware does not log it twice)."""
    entry = record_refusal(user, message, plan=plan, obj=obj)
    exc = exc_class(message)
    exc.audit_entry_id, exc.audit_plan_id = entry.pk, entry.plan_id
    return exc
