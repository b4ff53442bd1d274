"""Helpers of the clinic-open tests: categories loaded, reports made through the real service, then moved
to a status as the desk would (closing dates set)."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def categories():
    from oneplan.clinic.loader import load_categories
    from oneplan.clinic.models import Category

    if not Category.objects.exists():
        load_categories()
    return {c.code: c for c in Category.objects.all()}


def make_report(code="road", area_code="830303", text="ถนนชำรุดเป็นหลุมใหญ่ หน้าโรงเรียน", status="received",
                days_ago=10, days_to_close=None, **extra):
    from oneplan.areas.models import Area
    from oneplan.clinic.models import Category, Report
    from oneplan.clinic.services import NewReport, create_report

    categories()
    area = Area.objects.get(code=area_code) if area_code else None
    report = create_report(NewReport(category=Category.objects.get(code=code), text=text, area=area, **extra))
    created = timezone.now() - timedelta(days=days_ago)
    fields = {"created_at": created, "due_date": Report.due_from(report.category, created), "status": status}
    if days_to_close is not None:
        fields["closed_at"] = created + timedelta(days=days_to_close)
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report
