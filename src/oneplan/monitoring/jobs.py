"""Monitoring work done by the worker (oneplan.jobs.results): the LAO report as PDF, and the duplicate
finder over a province (seconds to a minute at 40,000 projects)."""
from django.urls import reverse

from oneplan.areas.models import Area
from oneplan.jobs.results import acting_user, file_outcome, rows_outcome
from oneplan.jobs.services import JobError, Outcome
from oneplan.plans.models import Plan

from . import duplicates, report

GONE = "ไม่พบแผนนี้แล้ว หรือคุณไม่มีสิทธิ์ดูแผนนี้แล้ว จึงสร้างรายงานไม่ได้"


def report_pdf(job, progress) -> Outcome:
    plan = Plan.objects.select_related("owner", "area").filter(pk=job.params["plan"]).first()
    if plan is None or not acting_user(job).has_perm("plans.view_plan", plan):
        raise JobError(GONE)
    year = job.params["year"]
    progress(10, "กำลังรวบรวมผลการติดตาม")
    data = report.lao_report(plan, year)
    progress(40, "กำลังสร้างไฟล์ PDF")
    return file_outcome(job, f"monitoring-{plan.key}-{year}.pdf", report.report_pdf(data),
                        f"เปิดไฟล์ PDF รายงานผลการติดตาม ปีงบประมาณ {year}")


def find_duplicates(job, progress) -> Outcome:
    """Counted plans only (plans.totals), so the answer is the same for everyone: one public job."""
    area = Area.objects.filter(code=job.params["province"], kind="province").first()
    if area is None:
        raise JobError("ไม่พบจังหวัดนี้แล้ว")
    progress(5, "กำลังอ่านโครงการของจังหวัด")
    found = duplicates.duplicate_report(area)
    progress(90, "กำลังบันทึกผล")
    rows = {"total": found.total, "candidates": [
        {"a": _side(c.a), "b": _side(c.b), "reasons": c.reasons} for c in found.candidates]}
    return rows_outcome(job, rows, reverse("monitoring:duplicates", args=[area.code]),
                        f"ดูโครงการที่อาจซ้ำซ้อน {found.total:,} คู่")


def _side(project: dict) -> dict:
    return {k: project[k] for k in ("id", "title", "owner_name", "location")}
