"""The LAO monitoring report (ผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น) for one fiscal year:
per strategy, projects planned vs done, budget planned vs disbursed, and KPI results — as data for
the page, and as PDF (core.pdf, chart by matplotlib in Sarabun) and Excel (core.excel)."""
from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from bahttext import bahttext
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext

from oneplan.core import excel
from oneplan.core.pdf import FONT_DIR, html_to_pdf
from oneplan.core.thai import MONTHS_TH, be_year, fiscal_year
from oneplan.plans.models import BudgetLine, BudgetStage, ElementKind, KPITarget, Plan

from .models import KPIResult, ProjectProgress
from .results import Scored, kpi_achievement

TITLE = "ผลการติดตามและประเมินผลแผนพัฒนาท้องถิ่น"
# Which stage stands for "the budget" of a year once execution starts (most concrete first).
STAGE_PRIORITY = [BudgetStage.ALLOCATED, BudgetStage.ORDINANCE, BudgetStage.REQUEST, BudgetStage.PLAN]
ZERO = Decimal(0)


def year_budget(project_ids, year: int) -> dict[int, Decimal]:
    """The budget of each project for a fiscal year, at the most concrete stage recorded."""
    by_stage = defaultdict(dict)
    for row in (BudgetLine.objects.filter(project_id__in=project_ids, fiscal_year=year)
                .values("project_id", "stage").annotate(total=Sum("amount"))):
        by_stage[row["project_id"]][row["stage"]] = row["total"]
    return {pid: next(stages[s] for s in STAGE_PRIORITY if s in stages)
            for pid, stages in by_stage.items() if any(s in stages for s in STAGE_PRIORITY)}


@dataclass
class KPIRow(Scored):
    element: object
    unit: str
    target: Decimal | None
    value: Decimal | None
    score: Decimal | None


@dataclass
class StrategyRow:
    element: object = None
    planned: int = 0
    done: int = 0
    in_progress: int = 0
    budget_planned: Decimal = ZERO
    disbursed: Decimal = ZERO
    kpis: list[KPIRow] = field(default_factory=list)

    @property
    def not_started(self) -> int:
        return self.planned - self.done - self.in_progress

    @property
    def disbursement_percent(self) -> Decimal | None:
        if not self.budget_planned:
            return None
        return (self.disbursed * 100 / self.budget_planned).quantize(Decimal("0.01"))

    def add(self, other: StrategyRow):
        self.planned += other.planned
        self.done += other.done
        self.in_progress += other.in_progress
        self.budget_planned += other.budget_planned
        self.disbursed += other.disbursed


@dataclass
class MonitoringReport:
    plan: Plan
    year: int
    rows: list[StrategyRow]
    total: StrategyRow
    reported_on: date | None = None     # the date the signature block is dated (พ.ศ.)

    @property
    def title(self) -> str:
        return f"{TITLE} ปีงบประมาณ {self.year}"

    @property
    def subtitle(self) -> str:
        """The plan, and its owner only where the plan's title does not already name it
        ("แผนพัฒนาท้องถิ่น … เทศบาลตำบลเชิงทะเล — เทศบาลตำบลเชิงทะเล" said it twice)."""
        owner = self.plan.owner.name_th if self.plan.owner_id else ""
        if not owner or owner in self.plan.title_th:
            return self.plan.title_th
        return f"{self.plan.title_th} — {owner}"

    @property
    def committee(self) -> str:
        """The committee that signs the announced report, named with its organisation."""
        owner = self.plan.owner.name_th if self.plan.owner_id else ""
        return f"คณะกรรมการติดตามและประเมินผลแผนพัฒนาท้องถิ่น{owner}"

    @property
    def dated(self) -> tuple[int, str, int] | None:
        """(day, month name, พ.ศ. year) for the 'วันที่ … เดือน … พ.ศ. …' line of the signature block."""
        d = self.reported_on
        return (d.day, MONTHS_TH[d.month - 1], be_year(d.year)) if d else None

    @property
    def disbursed_text(self) -> str:
        return bahttext(float(self.total.disbursed)) if self.total.disbursed else "ศูนย์บาทถ้วน"

    @property
    def planned_text(self) -> str:
        return bahttext(float(self.total.budget_planned)) if self.total.budget_planned else "ศูนย์บาทถ้วน"


def default_year(plan: Plan, today: date | None = None) -> int:
    """The fiscal year a report opens on: the current Thai fiscal year (core.thai.fiscal_year) when the
    plan covers it; otherwise the latest year with a reporting round; otherwise the plan year nearest
    to today."""
    years = plan.years
    current = fiscal_year(today or date.today())
    if current in years:
        return current
    latest = plan.reporting_rounds.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    if latest in years:
        return latest
    return years[-1] if current > years[-1] else years[0]


def lao_report(plan: Plan, year: int) -> MonitoringReport:
    elements = {e.pk: e for e in plan.elements.only("id", "plan_id", "parent_id", "kind", "code", "title_th", "order")}
    strategy_of = _strategy_resolver(elements)
    rows: dict[int, StrategyRow] = {}
    for e in sorted(elements.values(), key=lambda e: (e.order, e.pk)):
        if strategy_of(e.pk) == e.pk and e.kind not in (ElementKind.KPI, ElementKind.PROJECT) \
                and e.kind in _STRATEGY_KINDS:
            rows[e.pk] = StrategyRow(e)
    _add_projects(plan, year, elements, strategy_of, rows)
    _add_kpis(plan, year, elements, strategy_of, rows)
    total = StrategyRow()
    for row in rows.values():
        total.add(row)
    return MonitoringReport(plan, year, list(rows.values()), total, reported_on=date.today())


_STRATEGY_KINDS = {ElementKind.ISSUE, ElementKind.STRATEGY, ElementKind.OBJECTIVE, ElementKind.PROGRAMME,
                   ElementKind.FOCUS_AREA, ElementKind.ULTIMATE_GOAL}


def _strategy_resolver(elements):
    """The strategy an element reports under: its topmost strategic-issue ancestor (ยุทธศาสตร์),
    else its topmost ancestor."""
    cache: dict[int, int] = {}

    def resolve(pk: int) -> int:
        if pk not in cache:
            chain, node = [], elements[pk]
            while node is not None:
                chain.append(node)
                node = elements.get(node.parent_id)
            issues = [n for n in chain if n.kind == ElementKind.ISSUE]
            cache[pk] = (issues[-1] if issues else chain[-1]).pk
        return cache[pk]

    return resolve


def _add_projects(plan, year, elements, strategy_of, rows):
    planned = (BudgetLine.objects.filter(project__element__plan=plan, fiscal_year=year, stage=BudgetStage.PLAN)
               .values("project_id").annotate(total=Sum("amount")))
    latest = {}
    for p in (ProjectProgress.objects.filter(round__plan=plan, round__fiscal_year=year, approved_by__isnull=False)
              .order_by("round__end_date", "round__number")):
        latest[p.project_id] = p  # later rounds overwrite earlier ones
    budgets = {r["project_id"]: r["total"] for r in planned}
    for project_id in set(budgets) | set(latest):
        row = rows.get(strategy_of(project_id))
        if row is None:
            continue
        row.planned += 1
        row.budget_planned += budgets.get(project_id, ZERO)
        progress = latest.get(project_id)
        if progress is not None:
            row.disbursed += progress.disbursed_amount
            if progress.physical_percent >= 100:
                row.done += 1
            elif progress.physical_percent > 0:
                row.in_progress += 1


def _add_kpis(plan, year, elements, strategy_of, rows):
    kpi_elements = (plan.elements.filter(kind=ElementKind.KPI).select_related("kpi").order_by("order", "id"))
    targets = dict(KPITarget.objects.filter(kpi__element__plan=plan, year=year).values_list("kpi_id", "value"))
    values = {}
    for r in (KPIResult.objects.filter(round__plan=plan, round__fiscal_year=year, approved_by__isnull=False)
              .order_by("round__end_date", "round__number")):
        values[r.kpi_id] = r.value
    for e in kpi_elements:
        kpi = getattr(e, "kpi", None)
        row = rows.get(strategy_of(e.pk))
        if kpi is None or row is None:
            continue
        target, value = targets.get(e.pk), values.get(e.pk)
        row.kpis.append(KPIRow(e, kpi.unit, target, value,
                               kpi_achievement(kpi.direction, kpi.baseline, target, value)))


def chart_png(report: MonitoringReport) -> bytes:
    """Budget planned vs disbursed per strategy, as a PNG drawn with the Sarabun font."""
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    for style in ("Regular", "Bold"):
        font_manager.fontManager.addfont(str(FONT_DIR / f"Sarabun-{style}.ttf"))
    labels = [f"{r.element.code}" for r in report.rows]
    fig = Figure(figsize=(7.5, 3.2), dpi=130)
    ax = fig.add_subplot()
    xs = range(len(labels))
    million = Decimal(1_000_000)
    ax.bar([x - 0.2 for x in xs], [float(r.budget_planned / million) for r in report.rows], 0.4,
           label="งบประมาณตามแผน", color="#124e78")
    ax.bar([x + 0.2 for x in xs], [float(r.disbursed / million) for r in report.rows], 0.4,
           label="เบิกจ่าย", color="#1e8449")
    ax.set_xticks(list(xs), [f"ยุทธศาสตร์ {c}" for c in labels], fontfamily="Sarabun", fontsize=8)
    ax.set_ylabel("ล้านบาท", fontfamily="Sarabun")
    ax.legend(prop={"family": "Sarabun"})
    ax.set_title(report.title, fontfamily="Sarabun", fontsize=10)
    fig.tight_layout()
    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def report_pdf(report: MonitoringReport) -> bytes:
    chart = "data:image/png;base64," + base64.b64encode(chart_png(report)).decode()
    return html_to_pdf(report_html(report, chart), "@page { size: A4 landscape; } img.chart { width: 100%; }"
                       " .signatures { display: flex; justify-content: space-around; margin-top: 2em;"
                       " page-break-inside: avoid; } .signature { text-align: center; }")


def report_html(report: MonitoringReport, chart: str = "") -> str:
    """The HTML the PDF is rendered from (tests read it: no PDF text extractor is installed)."""
    signers = [gettext("Secretary"), gettext("Chair")]   # the announced report: secretary reports, chair signs
    return render_to_string("monitoring/pdf/lao_report.html", {"report": report, "chart": chart, "signers": signers})


SUMMARY_HEADERS = ["ประเด็นยุทธศาสตร์", "จำนวนโครงการตามแผน", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ",
                   "ยังไม่ดำเนินการ", "งบประมาณตามแผน (บาท)", "เบิกจ่าย (บาท)", "ร้อยละการเบิกจ่าย"]
KPI_HEADERS = ["ประเด็นยุทธศาสตร์", "ตัวชี้วัด", "หน่วยนับ", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "ร้อยละของเป้าหมาย", "สถานะ"]


def report_workbook(report: MonitoringReport):
    wb = excel.new_workbook()
    ws = wb.create_sheet("สรุปผล")
    row = excel.write_title(ws, 1, f"{report.title} — {report.subtitle}", len(SUMMARY_HEADERS))
    row = excel.write_header(ws, row + 1, SUMMARY_HEADERS, [50, 14, 14, 14, 14, 20, 20, 12])
    for r in [*report.rows, report.total]:
        name = f"{r.element.code} {r.element.title_th}" if r.element else "รวม"
        row = excel.write_row(ws, row, [name, r.planned, r.done, r.in_progress, r.not_started,
                                        r.budget_planned, r.disbursed, r.disbursement_percent],
                              amount_columns=(6, 7))
    excel.put(ws, row + 1, 1, f"เบิกจ่ายรวม ({report.disbursed_text})").font = excel.BODY
    kws = wb.create_sheet("ตัวชี้วัด")
    row = excel.write_title(kws, 1, f"ผลตามตัวชี้วัด ปีงบประมาณ {report.year}", len(KPI_HEADERS))
    row = excel.write_header(kws, row + 1, KPI_HEADERS, [40, 50, 14, 14, 14, 14, 16])
    for r in report.rows:
        for k in r.kpis:
            row = excel.write_row(kws, row, [f"{r.element.code} {r.element.title_th}", k.element.title_th, k.unit,
                                             k.target, k.value, k.percent, str(k.status_label)])
    return wb
