"""The open-data tables: one definition per table (columns with Thai and English titles, types, and how
each row is read), so the CSV files and datapackage.json can never disagree.

Only what anonymous pages show goes out (plans.editions.public_q): editions in force, superseded ones
(history), drafts open for public consultation, and the reference frameworks; the `status` column says
which. Drafts still with their editors never do. Years are พ.ศ. numbers,
amounts decimal strings with two places.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from oneplan.consultation.models import Comment, ConsultationRound
from oneplan.plans.editions import public_q
from oneplan.plans.models import BudgetLine, Element, KPITarget, Link, Plan
from oneplan.plans.totals import area_q


@dataclass(frozen=True)
class Column:
    name: str
    type: str          # Frictionless field types: string, integer, number, date, datetime, boolean
    title_th: str
    title_en: str
    read: Callable


@dataclass(frozen=True)
class Table:
    name: str
    title_th: str
    title_en: str
    columns: tuple[Column, ...]
    rows: Callable      # (plans queryset) -> iterable of model rows


def _c(name, type_, th, en, read):
    return Column(name, type_, th, en, read)


def _amount(value):
    return None if value is None else f"{value:.2f}"


def _dec(value):
    return None if value is None else format(value.normalize(), "f")


def published_plans(area=None):
    """Public plans of an area (the province and everything in it), or of the whole country."""
    qs = Plan.objects.filter(public_q())
    # the same scope as every total of the area (plans.totals), so the package matches the pages
    return qs.filter(area_q(area)) if area is not None else qs


TABLES = (
    Table("plans", "แผน", "Plans", (
        _c("key", "string", "รหัสแผน", "Plan key", lambda p: p.key),
        _c("title_th", "string", "ชื่อแผน", "Title (Thai)", lambda p: p.title_th),
        _c("kind", "string", "ประเภทแผน", "Plan kind", lambda p: p.kind),
        _c("framework", "string", "รหัสกรอบอ้างอิง", "Framework code", lambda p: p.framework),
        _c("status", "string", "สถานะ", "Status", lambda p: p.status),
        _c("owner", "string", "หน่วยงานเจ้าของแผน", "Owner organisation key", lambda p: p.owner.key if p.owner_id else ""),
        _c("area", "string", "รหัสพื้นที่", "Area code", lambda p: p.area.code if p.area_id else ""),
        _c("start_year", "integer", "ปีเริ่มต้น (พ.ศ.)", "First year (B.E.)", lambda p: p.start_year),
        _c("end_year", "integer", "ปีสิ้นสุด (พ.ศ.)", "Last year (B.E.)", lambda p: p.end_year),
        _c("edition", "string", "ฉบับ", "Edition", lambda p: p.edition_label),
        _c("supersedes", "string", "แทนที่แผน", "Supersedes (plan key)", lambda p: p.supersedes.key if p.supersedes_id else ""),
        _c("in_force_from", "date", "ใช้บังคับตั้งแต่", "In force from", lambda p: p.in_force_from),
        _c("in_force_until", "date", "ใช้บังคับถึง", "In force until", lambda p: p.in_force_until),
    ), lambda plans: plans.select_related("owner", "area", "supersedes").order_by("pk")),
    Table("elements", "องค์ประกอบของแผน", "Plan elements", (
        _c("plan", "string", "รหัสแผน", "Plan key", lambda e: e.plan.key),
        _c("code", "string", "รหัสองค์ประกอบ", "Element code", lambda e: e.code),
        _c("parent", "string", "รหัสองค์ประกอบแม่", "Parent code", lambda e: e.parent.code if e.parent_id else ""),
        _c("kind", "string", "ประเภท", "Kind", lambda e: e.kind),
        _c("title_th", "string", "ชื่อ", "Title (Thai)", lambda e: e.title_th),
        _c("title_en", "string", "ชื่อภาษาอังกฤษ", "Title (English)", lambda e: e.title_en),
    ), lambda plans: Element.objects.filter(plan__in=plans).select_related("plan", "parent").order_by("plan_id", "order", "pk")),
    Table("links", "ความเชื่อมโยง", "Links upward", (
        _c("plan", "string", "รหัสแผน", "Plan key", lambda link: link.source.plan.key),
        _c("code", "string", "รหัสองค์ประกอบ", "Element code", lambda link: link.source.code),
        _c("target_plan", "string", "แผนที่เชื่อมโยงไป", "Target plan key", lambda link: link.target.plan.key),
        _c("target_code", "string", "รหัสที่เชื่อมโยงไป", "Target element code", lambda link: link.target.code),
    ), lambda plans: Link.objects.filter(source__plan__in=plans).select_related("source__plan", "target__plan").order_by("pk")),
    Table("kpi_targets", "ค่าเป้าหมายตัวชี้วัด", "KPI targets", (
        _c("plan", "string", "รหัสแผน", "Plan key", lambda t: t.kpi.element.plan.key),
        _c("code", "string", "รหัสตัวชี้วัด", "KPI code", lambda t: t.kpi.element.code),
        _c("unit", "string", "หน่วยนับ", "Unit", lambda t: t.kpi.unit),
        _c("year", "integer", "ปี (พ.ศ.)", "Year (B.E.)", lambda t: t.year),
        _c("target", "number", "ค่าเป้าหมาย", "Target", lambda t: _dec(t.value)),
    ), lambda plans: KPITarget.objects.filter(kpi__element__plan__in=plans).select_related("kpi__element__plan").order_by("pk")),
    Table("budget_lines", "งบประมาณโครงการ", "Project budget lines", (
        _c("plan", "string", "รหัสแผน", "Plan key", lambda b: b.project.element.plan.key),
        _c("code", "string", "รหัสโครงการ", "Project code", lambda b: b.project.element.code),
        _c("project", "string", "ชื่อโครงการ", "Project title", lambda b: b.project.element.title_th),
        _c("fiscal_year", "integer", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", lambda b: b.fiscal_year),
        _c("source", "string", "แหล่งงบประมาณ", "Source", lambda b: b.source),
        _c("stage", "string", "ขั้นตอนงบประมาณ", "Stage", lambda b: b.stage),
        _c("amount", "number", "จำนวนเงิน (บาท)", "Amount (baht)", lambda b: _amount(b.amount)),
    ), lambda plans: BudgetLine.objects.filter(project__element__plan__in=plans).select_related("project__element__plan").order_by("pk")),
    Table("consultation_rounds", "รอบการรับฟังความคิดเห็น", "Consultation rounds", (
        _c("id", "integer", "เลขที่รอบ", "Round id", lambda r: r.pk),
        _c("plan", "string", "รหัสแผน", "Plan key", lambda r: r.plan.key),
        _c("title", "string", "ชื่อรอบ", "Title", lambda r: r.title),
        _c("opens_on", "date", "วันเปิดรับฟัง", "Opens on", lambda r: r.opens_on),
        _c("closes_on", "date", "วันปิดรับฟัง", "Closes on", lambda r: r.closes_on),
        _c("status", "string", "สถานะ", "Status", lambda r: r.status),
    ), lambda plans: ConsultationRound.objects.filter(plan__in=plans).exclude(status="planned").select_related("plan").order_by("pk")),
    Table("comments", "ความคิดเห็นและคำตอบ", "Public comments and answers", (
        _c("round", "integer", "เลขที่รอบ", "Round id", lambda c: c.round_id),
        _c("element", "string", "ส่วนของแผน", "Part of the plan", lambda c: c.element_label),
        _c("sector", "string", "ภาคส่วน", "Sector", lambda c: c.sector),
        _c("kind", "string", "ประเภท", "Kind", lambda c: c.kind),
        _c("text", "string", "ความคิดเห็น", "Comment", lambda c: c.text),
        _c("outcome", "string", "ผลการพิจารณา", "Outcome", lambda c: c.answer.outcome if hasattr(c, "answer") else ""),
        _c("answer", "string", "คำตอบ", "Answer", lambda c: c.answer.text if hasattr(c, "answer") else ""),
    ), lambda plans: Comment.objects.filter(round__plan__in=plans, hidden=False).exclude(round__status="planned").select_related("answer").order_by("pk")),
)
