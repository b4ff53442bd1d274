"""Entering, approving and locking results: called by the views (and tests) inside one transaction,
so a page of values is saved completely or not at all."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oneplan.plans.models import KPI, Project

from .models import KPIResult, ProjectProgress, ReportingRound, RoundStatus


def _locked_round(round_id: int) -> ReportingRound:
    """Re-read the round under a row lock so a round closed meanwhile refuses the entries."""
    round_ = ReportingRound.objects.select_for_update().select_related("plan").get(pk=round_id)
    if round_.is_locked:
        raise ValidationError(f"รอบรายงาน “{round_.label}” ปิดแล้ว จึงบันทึกหรือแก้ไขผลไม่ได้")
    return round_


@transaction.atomic
def save_entries(round_: ReportingRound, user, kpi_values: dict[int, Decimal],
                 progress: dict[int, tuple[Decimal, Decimal]], notes: dict | None = None) -> int:
    """Save KPI values {kpi pk: value} and project progress {project pk: (physical %, disbursed)}.
    A changed value needs approval again; the person entering it becomes its maker."""
    round_ = _locked_round(round_.pk)
    notes = notes or {}
    valid_kpis = set(KPI.objects.filter(element__plan=round_.plan, pk__in=kpi_values).values_list("pk", flat=True))
    valid_projects = set(Project.objects.filter(element__plan=round_.plan, pk__in=progress)
                         .values_list("pk", flat=True))
    if set(kpi_values) - valid_kpis or set(progress) - valid_projects:
        raise ValidationError("มีรายการที่ไม่ได้อยู่ในแผนของรอบรายงานนี้")
    changed = 0
    for kpi_id, value in kpi_values.items():
        changed += _upsert(KPIResult, round_, user, {"kpi_id": kpi_id}, {"value": value},
                           notes.get(("kpi", kpi_id), ""))
    for project_id, (physical, disbursed) in progress.items():
        changed += _upsert(ProjectProgress, round_, user, {"project_id": project_id},
                           {"physical_percent": physical, "disbursed_amount": disbursed},
                           notes.get(("project", project_id), ""))
    return changed


def _upsert(model, round_, user, key: dict, values: dict, note: str) -> int:
    entry = model.objects.filter(round=round_, **key).first()
    if entry is not None and all(getattr(entry, f) == v for f, v in values.items()) and entry.note == note:
        return 0
    entry = entry or model(round=round_, **key)
    for f, v in values.items():
        setattr(entry, f, v)
    entry.note, entry.submitted_by = note, user
    entry.approved_by = entry.approved_at = None
    entry.full_clean(validate_unique=False)
    entry.save()
    return 1


@transaction.atomic
def approve(round_: ReportingRound, user, entries) -> int:
    """Approve entries of a round; refuses (and approves none) if any was entered by `user`."""
    round_ = _locked_round(round_.pk)
    entries = list(entries)
    own = [e for e in entries if e.submitted_by_id == user.pk]
    if own:
        names = ", ".join(_entry_name(e) for e in own[:3])
        raise ValidationError(f"อนุมัติรายการที่ตนเองบันทึกไม่ได้ (ต้องให้ผู้อื่นตรวจสอบ): {names}")
    now = timezone.now()
    for entry in entries:
        if entry.round_id != round_.pk:
            raise ValidationError("รายการที่เลือกไม่ได้อยู่ในรอบรายงานนี้")
        entry.approved_by, entry.approved_at = user, now
        entry.full_clean(validate_unique=False)
        entry.save(update_fields=["approved_by", "approved_at"])
    return len(entries)


def _entry_name(entry) -> str:
    element = entry.kpi.element if isinstance(entry, KPIResult) else entry.project.element
    return f"“{element.title_th[:60]}”"


def pending(round_: ReportingRound) -> list:
    return [*round_.kpiresult_set.filter(approved_by__isnull=True).select_related("kpi__element", "submitted_by"),
            *round_.projectprogress_set.filter(approved_by__isnull=True).select_related("project__element",
                                                                                     "submitted_by")]


@transaction.atomic
def close_round(round_: ReportingRound, user) -> ReportingRound:
    round_ = _locked_round(round_.pk)
    waiting = len(pending(round_))
    if waiting:
        raise ValidationError(f"ยังปิดรอบไม่ได้: มีผลการดำเนินงานรออนุมัติ {waiting} รายการ")
    round_.status, round_.closed_by, round_.closed_at = RoundStatus.CLOSED, user, timezone.now()
    round_.save(update_fields=["status", "closed_by", "closed_at"])
    return round_
