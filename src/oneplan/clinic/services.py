"""Clinic Center services: creating a report (web form and API alike) and the steps staff take on it.
Each is one transaction: the report, its photos and its timeline event are written together or not at all."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from oneplan.core.thai import be_year, normalise

from .models import (
    OPEN_STATUSES,
    Event,
    EventKind,
    Photo,
    ReferenceSequence,
    Report,
    ReporterContact,
    Source,
    Status,
)
from .routing import route

REFERENCE_PREFIX = "CC"
CONSENT_TEXT = ("ข้าพเจ้ายินยอมให้ศูนย์ Clinic Center และหน่วยงานผู้รับผิดชอบเก็บชื่อและหมายเลขโทรศัพท์นี้ "
                "เพื่อติดต่อกลับเกี่ยวกับเรื่องที่แจ้งเท่านั้น ข้อมูลนี้ไม่เปิดเผยต่อสาธารณะ")


def format_reference(year_be: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year_be}-{number:06d}"


def next_reference(now=None) -> str:
    """The next reference number of the Buddhist-era year (call inside a transaction: the row lock
    on the year's counter makes two reports never share a number)."""
    year = be_year(timezone.localdate(now or timezone.now()).year)
    ReferenceSequence.objects.get_or_create(year=year)
    seq = ReferenceSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return format_reference(year, seq.last)


@dataclass
class NewReport:
    """What a reporter sends (already validated: forms.ReportForm or the Open311 layer).
    photos: ContentFiles already cleaned by photos.clean_image (metadata stripped)."""
    category: object
    text: str
    area: object = None            # a subdistrict Area (or None when only coordinates are known)
    lat: object = None             # Decimal inside Thailand, or None
    lng: object = None
    village: str = ""
    name: str = ""
    phone: str = ""
    consent: bool = False
    photos: list = field(default_factory=list)
    source: str = Source.WEB
    source_detail: str = ""
    origin_key: str = ""


@transaction.atomic
def create_report(data: NewReport) -> Report:
    """Store a new report routed to its responsible organisation (or the desk), with the 'received'
    event; the contact only with consent."""
    now = timezone.now()
    r = route(data.category, data.area)
    province = r.province
    report = Report.objects.create(
        reference=next_reference(now), category=data.category, text=data.text,
        text_normalised=normalise(data.text), area=data.area, province=province, village=data.village,
        lat=data.lat, lng=data.lng, responsible=r.organisation, routing_note=r.note, source=data.source,
        source_detail=data.source_detail, created_at=now, due_date=Report.due_from(data.category, now),
        follow_token=secrets.token_urlsafe(24), origin_key=data.origin_key)
    if data.consent and (data.name or data.phone):
        ReporterContact.objects.create(report=report, name=data.name, phone=data.phone, consent_text=CONSENT_TEXT)
    event = Event.objects.create(report=report, kind=EventKind.RECEIVED, at=now, target=r.organisation,
                                 note=r.note)
    for content in data.photos:
        Photo.objects.create(report=report, event=event, image=content)
    _tell_responsible(report)
    return report


def _tell_responsible(report: Report, overdue: bool = False) -> None:
    """The staff of the organisation the report now belongs to hear of it (notifications app), once the
    report is committed; the report stays whatever happens to the notification."""
    if report.responsible_id is None:
        return
    from django.urls import reverse

    from oneplan.notifications.services import notify_clinic_report

    organisation, title = report.responsible, f"{report.reference} {report.category.name_th}"
    url = reverse("clinic:staff_report", args=[report.reference])
    key = f"{report.reference}:{organisation.pk}"
    transaction.on_commit(lambda: notify_clinic_report(organisation, title, url, key=key, overdue=overdue))


def notify_overdue(today=None) -> int:
    """Open reports past their category's target time: their organisation hears once (run daily by
    `oneplan send-notifications`)."""
    overdue = Report.objects.overdue(today).filter(responsible__isnull=False).select_related("responsible", "category")
    for report in overdue:
        _tell_responsible(report, overdue=True)
    return len(overdue)



# ---------------------------------------------------------------- steps on a report

class StepRefused(Exception):
    """A step that does not fit the report's status; the message is Thai and user-facing."""


OPEN = set(OPEN_STATUSES)
# step → (statuses it may start from, status it leaves the report in; None = unchanged)
STEPS = {
    EventKind.ACCEPTED: ({Status.RECEIVED, Status.FORWARDED, Status.REOPENED}, Status.ACCEPTED),
    EventKind.IN_PROGRESS: ({Status.RECEIVED, Status.FORWARDED, Status.ACCEPTED, Status.REOPENED}, Status.IN_PROGRESS),
    EventKind.DONE: (OPEN, Status.DONE),
    EventKind.FORWARDED: (OPEN, Status.FORWARDED),
    EventKind.CANNOT_DO: (OPEN, Status.CANNOT_DO),
    EventKind.REASSIGNED: (OPEN, Status.RECEIVED),
    EventKind.MERGED: (OPEN, Status.MERGED),
    EventKind.HELP_ASKED: (OPEN, None),
    EventKind.NOTE: (set(Status.values), None),
}
CLOSING = {Status.DONE, Status.CANNOT_DO, Status.MERGED}


@transaction.atomic
def take_step(report: Report, kind: str, *, user=None, organisation=None, target=None, target_report=None,
              note: str = "", photos=()) -> Event:
    """One staff step: checks the status allows it, updates the report, writes the event (and photos)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    allowed, new_status = STEPS[kind]
    if report.status not in allowed:
        raise StepRefused(f"ทำขั้นตอน “{EventKind(kind).label}” ไม่ได้ เพราะเรื่องนี้อยู่ในสถานะ "
                          f"“{Status(report.status).label}”")
    now = timezone.now()
    fields = []
    if new_status is not None:
        report.status = new_status
        report.closed_at = now if new_status in CLOSING else None
        fields += ["status", "closed_at"]
    if kind in (EventKind.FORWARDED, EventKind.REASSIGNED):
        report.responsible, report.routing_note = target, ""
        fields += ["responsible", "routing_note"]
    if kind == EventKind.MERGED:
        report.merged_into = target_report
        fields.append("merged_into")
    if fields:
        report.save(update_fields=[*fields, "updated_at"])
    event = Event.objects.create(report=report, kind=kind, at=now, user=user, organisation=organisation,
                                 target=target, target_report=target_report, note=note,
                                 public=kind != EventKind.NOTE)
    for content in photos:
        Photo.objects.create(report=report, event=event, image=content)
    if kind in (EventKind.FORWARDED, EventKind.REASSIGNED):
        _tell_responsible(report)
    return event


@transaction.atomic
@transaction.atomic
def split_report(report: Report, *, category, text: str, user=None, organisation=None) -> Report:
    """One report that holds two problems (a broken road and a dark street light): the part the desk
    writes out becomes a new report at the same place, routed on its own; both timelines say so publicly.
    The reporter's contact stays with the original (they consented to that report)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in OPEN:
        raise StepRefused(f"แยกเรื่องไม่ได้ เพราะเรื่องนี้อยู่ในสถานะ “{Status(report.status).label}”")
    new = create_report(NewReport(category=category, text=text, area=report.area, village=report.village,
                                  lat=report.lat, lng=report.lng, source=report.source,
                                  source_detail=f"แยกจากเรื่อง {report.reference}"))
    Event.objects.filter(report=new, kind=EventKind.RECEIVED).update(note=f"แยกจากเรื่อง {report.reference}")
    Event.objects.create(report=report, kind=EventKind.SPLIT, at=timezone.now(), user=user,
                         organisation=organisation, target_report=new, target=new.responsible,
                         note=f"แยกเป็นเรื่อง {new.reference}")
    return new


def reporter_step(report: Report, kind: str, note: str = "") -> Event:
    """The reporter (holder of the follow token) confirms the work is done, or reopens the report: once."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    now = timezone.now()
    if kind == EventKind.CONFIRMED:
        if report.status != Status.DONE or report.confirmed_at:
            raise StepRefused("ยืนยันได้เฉพาะเรื่องที่แก้ไขเสร็จแล้ว และยืนยันได้ครั้งเดียว")
        report.confirmed_at = now
        report.save(update_fields=["confirmed_at", "updated_at"])
    elif kind == EventKind.REOPENED:
        if report.status not in (Status.DONE, Status.CANNOT_DO) or report.confirmed_at or report.reopened_at:
            raise StepRefused("แจ้งว่ายังไม่ได้รับการแก้ไขได้ครั้งเดียว เฉพาะเรื่องที่ปิดแล้วและยังไม่ได้ยืนยัน")
        report.reopened_at, report.status, report.closed_at = now, Status.REOPENED, None
        report.due_date = Report.due_from(report.category, now)
        report.save(update_fields=["reopened_at", "status", "closed_at", "due_date", "updated_at"])
    else:
        raise ValueError(kind)
    return Event.objects.create(report=report, kind=kind, at=now, note=note)


def purge_personal_data(days: int = 365, now=None) -> int:
    """PDPA retention: erase the contact of reports closed more than `days` ago (the report stays)."""
    from datetime import timedelta

    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = ReporterContact.objects.filter(report__closed_at__lt=cutoff).delete()
    return deleted
