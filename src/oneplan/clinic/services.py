"""Clinic Center services: creating a report (web form and API alike) and the steps staff take on it.
Each is one transaction: the report, its photos and its timeline event are written together or not at all."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from oneplan.core.thai import be_year, normalise

from .models import Event, EventKind, Photo, ReferenceSequence, Report, ReporterContact, Source, Status
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
    province = data.area.province() if data.area is not None else None
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
    return report


__all__ = ["NewReport", "create_report", "next_reference", "format_reference", "Status"]
