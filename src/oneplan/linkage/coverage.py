"""Coverage: which top-level elements of a framework (master plans, NESDP milestones, SDGs) a plan, or
all plans of a province / cluster / the LAOs of a province, addresses — element and project counts and
budget per fiscal year — and the ยท.01-style linkage workbook."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext

from oneplan.core import excel
from oneplan.plans import graph, totals
from oneplan.plans.models import BudgetLine, Element, ElementKind, Plan, PlanKind
from oneplan.plans.models.plans import LAO_PLAN_KINDS

from .engine import NOT_TARGETS

SCOPES = ("plan", "province", "cluster", "lao")
COVERAGE_FRAMEWORKS = ("master-plans", "nesdp13", "sdg", "national-strategy")


@dataclass
class Row:
    element: Element
    elements: int = 0
    projects: int = 0
    budget: dict[int, Decimal] = field(default_factory=dict)
    per_plan: Counter = field(default_factory=Counter)
    direct_elements: int = 0       # reached without passing through another framework
    direct_projects: int = 0

    @property
    def addressed(self) -> bool:
        return bool(self.elements or self.projects)

    @property
    def addressed_directly(self) -> bool:
        return bool(self.direct_elements or self.direct_projects)

    @property
    def addressed_through_framework(self) -> bool:
        """Reached only through another framework (e.g. an NESDP milestone linked to this master plan)."""
        return self.addressed and not self.addressed_directly

    @property
    def total(self) -> Decimal:
        return sum(self.budget.values(), Decimal(0))


@dataclass
class Coverage:
    framework_plan: Plan
    plans: list[Plan]
    rows: list[Row]
    years: list[int]
    unlinked: dict[int, Decimal] = field(default_factory=dict)   # budget reaching no element of the framework
    on: date | None = None
    money_rule: str = totals.MONEY_RULE_TH

    @property
    def addressed_count(self) -> int:
        return sum(r.addressed for r in self.rows)

    @property
    def direct_count(self) -> int:
        return sum(r.addressed_directly for r in self.rows)

    @property
    def through_framework_count(self) -> int:
        return sum(r.addressed_through_framework for r in self.rows)

    def budget_cells(self, row: Row) -> list[Decimal]:
        return [row.budget.get(y, Decimal(0)) for y in self.years]

    @property
    def unlinked_cells(self) -> list[Decimal]:
        return [self.unlinked.get(y, Decimal(0)) for y in self.years]

    @property
    def unlinked_total(self) -> Decimal:
        return sum(self.unlinked.values(), Decimal(0))

    @property
    def year_totals(self) -> list[Decimal]:
        """Per year, the framework elements plus what is linked to none: the scope's budget."""
        return [sum((r.budget.get(y, Decimal(0)) for r in self.rows), self.unlinked.get(y, Decimal(0)))
                for y in self.years]

    @property
    def total(self) -> Decimal:
        return sum(self.year_totals, Decimal(0))


def area_q(area) -> Q:
    """Plans whose area is the given area or lies inside it, or owned by organisations there."""
    return totals.area_q(area)


def scope_plans(scope: str, target, on: date | None = None) -> list[Plan]:
    """Plans of a scope whose budgets count (plans.totals: in force on `on`, the same for every user).
    `target`: a Plan for "plan" (the plan itself, whatever its state: the viewer opened it), an Area
    otherwise."""
    if scope == "plan":
        return [target]
    if scope == "cluster":
        q = Q(area=target)
        for province in target.members():
            q |= area_q(province)
        qs = totals.counted_plans(q, on)
    else:
        qs = totals.counted_plans(area_q(target), on)
    if scope == "lao":
        qs = qs.filter(kind__in=LAO_PLAN_KINDS)
    return list(qs.order_by("kind", "title_th"))


def top_elements(plan: Plan) -> list[Element]:
    return list(plan.elements.filter(parent__isnull=True).exclude(kind__in=NOT_TARGETS).order_by("order", "id"))


def coverage(plans: list[Plan], framework_plan: Plan, on: date | None = None) -> Coverage:
    """Per top-level element of the framework edition: the scope's elements and projects reaching it
    (directly, or only through another framework), and the budget the one money rule gives it."""
    plan_ids = [p.pk for p in plans]
    tops = top_elements(framework_plan)
    goals = {t.pk for t in tops}
    # walked upward from the scope's elements (graph.Reach), not downward through the whole country:
    # the same elements graph.contributors finds for each top-level element, restricted to the scope
    walker = graph.Reach(goals, on, also_plans=plan_ids)
    reach = walker.of_plans(plan_ids)
    direct = graph.Reach(goals, on, also_plans=plan_ids, through_frameworks=False).of_plans(plan_ids)
    elements = {pk: walker.row[pk][1] for pk in reach}     # the scope's elements: kind and plan
    plan_of = {pk: walker.row[pk][0] for pk in reach}
    index = totals.LinkIndex(on, preload_plans=plan_ids)
    shares = totals.by_group(totals.attribute(totals.budget_rows(plan_ids), index, {framework_plan.pk}))
    rows, years = [], {y for s in shares.values() for y in s.by_year}
    reaching, reaching_directly = defaultdict(set), defaultdict(set)   # top id → the scope's elements
    for found, out in ((reach, reaching), (direct, reaching_directly)):
        for i, tops_reached in found.items():
            for t in tops_reached:
                out[t].add(i)
    for top in tops:
        ids, ids_direct = reaching[top.pk], reaching_directly[top.pk]
        n_projects = sum(1 for i in ids if elements[i] == ElementKind.PROJECT)
        n_direct = sum(1 for i in ids_direct if elements[i] == ElementKind.PROJECT)
        budget = dict(sorted(shares[top.pk].by_year.items())) if top.pk in shares else {}
        rows.append(Row(top, len(ids) - n_projects, n_projects, budget, Counter(plan_of[i] for i in ids),
                        len(ids_direct) - n_direct, n_direct))
    unlinked = shares.get(totals.UNLINKED)
    return Coverage(framework_plan, plans, rows, sorted(years), dict(unlinked.by_year) if unlinked else {}, on)


AXIS_LABEL_WIDTH = 120   # px: a short Thai name under each bar; the full name is in the tooltip


def chart_option(cov: Coverage) -> dict:
    """ECharts: budget per framework element, stacked by fiscal year (counts when there is no budget).
    Each bar is named "code title" (cut to AXIS_LABEL_WIDTH on the axis, whole in the tooltip); the
    tooltip ("budget", drawn by core/static/core/oneplan.js) gives every amount in baht with thousands
    separators, the total, and the element's projects."""
    names = [f"{r.element.code} {r.element.title_th}" for r in cov.rows]
    extra = [gettext("%(n)s projects · %(e)s elements") % {"n": f"{r.projects:,}", "e": f"{r.elements:,}"}
             for r in cov.rows]
    if cov.years:
        series = [{"name": str(y), "type": "bar", "stack": "budget",
                   "data": [{"value": float(r.budget.get(y, 0)), "extra": x} for r, x in zip(cov.rows, extra, strict=True)]}
                  for y in cov.years]
        tooltip = {"trigger": "axis", "formatter": "budget", "unit": gettext("baht"), "total": gettext("Total")}
    else:
        series = [{"name": gettext("Elements"), "type": "bar", "data": [r.elements for r in cov.rows]},
                  {"name": gettext("Projects"), "type": "bar", "data": [r.projects for r in cov.rows]}]
        tooltip = {"trigger": "axis", "formatter": "budget", "unit": "", "total": ""}
    return {"tooltip": tooltip, "legend": {"type": "scroll"},
            "grid": {"left": 10, "right": 10, "bottom": 10, "containLabel": True},
            "xAxis": {"type": "category", "data": names,
                      "axisLabel": {"interval": 0, "rotate": 40, "width": AXIS_LABEL_WIDTH, "overflow": "truncate",
                                    "fontSize": 11}},
            "yAxis": {"type": "value", "name": gettext("baht") if cov.years else ""},
            "series": series}


# -- the ยท.01 linkage workbook ------------------------------------------------------------------------
CHAIN_COLUMNS = [  # (header, plan kinds or framework code found in the upward chain)
    ("ยุทธศาสตร์ชาติ", {PlanKind.NATIONAL_STRATEGY}),
    ("แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", {PlanKind.MASTER_PLAN}),
    ("แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13", {PlanKind.NESDP}),
    ("แผนพัฒนาจังหวัด", {PlanKind.PROVINCIAL, PlanKind.PROVINCIAL_GOAL}),
    ("ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัด", {PlanKind.LAO_PROVINCE_STRATEGY}),
    ("เป้าหมายการพัฒนาที่ยั่งยืน (SDGs)", {PlanKind.GLOBAL_FRAMEWORK}),
]


def _chain_by_column(element: Element, links: graph.ChainLinks | None = None) -> list[str]:
    found: dict[int, list[str]] = defaultdict(list)

    def walk(nodes):
        for node in nodes:
            for i, (_, kinds) in enumerate(CHAIN_COLUMNS):
                label = graph.target_label(node.element)
                if node.element.plan.kind in kinds and label not in found[i]:
                    found[i].append(label)
            walk(node.parents)

    walk(graph.upward_chain(element, links=links))
    return ["\n".join(found[i]) for i in range(len(CHAIN_COLUMNS))]


def linkage_workbook(cov: Coverage, title: str):
    wb = excel.new_workbook()
    issues = list(Element.objects.filter(plan__in=cov.plans, kind=ElementKind.ISSUE)
                  .select_related("plan").order_by("plan__title_th", "order", "id"))
    years = sorted({y for p in cov.plans for y in p.years} | set(cov.years))
    ws = wb.create_sheet("ยท.01")
    headers = ["ที่", "แผน", "ยุทธศาสตร์ / ประเด็นการพัฒนา", *(h for h, _ in CHAIN_COLUMNS), "จำนวนโครงการ",
               *(f"งบประมาณ {y} (บาท)" for y in years), "รวม (บาท)"]
    width = len(headers)
    row = excel.write_title(ws, 1, f"บัญชีสรุปความเชื่อมโยงยุทธศาสตร์ (ยท.01): {title}", width)
    row = excel.write_header(ws, row + 1, headers, [5, 28, 36, *[30] * len(CHAIN_COLUMNS), 10, *[16] * len(years), 18])
    first_amount = 3 + len(CHAIN_COLUMNS) + 2
    amount_cols = range(first_amount, first_amount + len(years) + 1)
    per_issue = _issue_budgets(cov.plans, {i.pk for i in issues})
    links = graph.ChainLinks()
    links.close([i.pk for i in issues])     # every chain above the issues, a few queries per layer
    for n, issue in enumerate(issues, start=1):
        count, budget = per_issue.get(issue.pk, (0, {}))
        amounts = [budget.get(y, Decimal(0)) for y in years]
        row = excel.write_row(ws, row, [n, issue.plan.title_th, f"{issue.code} {issue.title_th}",
                                        *_chain_by_column(issue, links), count, *amounts,
                                        sum(amounts, Decimal(0))], amount_cols)
    _coverage_sheet(wb, cov)
    return wb


def _issue_budgets(plans, issue_ids) -> dict[int, tuple[int, dict[int, Decimal]]]:
    """Per issue: the projects below it and their plan-stage budget per year, summed in the database per
    parent element and carried up the plans' trees in memory (not a query per issue)."""
    parent = dict(Element.objects.filter(plan__in=plans).exclude(kind=ElementKind.PROJECT)
                  .values_list("pk", "parent_id"))

    def issues_above(eid):
        out, seen = [], set()
        while eid is not None and eid not in seen:
            seen.add(eid)
            if eid in issue_ids:
                out.append(eid)
            eid = parent.get(eid)
        return out

    projects = Element.objects.filter(plan__in=plans, kind=ElementKind.PROJECT)
    out: dict[int, tuple[int, dict]] = {}
    for parent_id, n in projects.values("parent_id").annotate(n=Count("pk")).values_list("parent_id", "n"):
        for issue in issues_above(parent_id):
            count, budget = out.get(issue, (0, {}))
            out[issue] = (count + n, budget)
    lines = (BudgetLine.objects.filter(project__element__in=projects, stage="plan")
             .values("project__element__parent_id", "fiscal_year").annotate(t=Sum("amount")))
    for r in lines:
        for issue in issues_above(r["project__element__parent_id"]):
            budget = out[issue][1]
            budget[r["fiscal_year"]] = budget.get(r["fiscal_year"], Decimal(0)) + r["t"]
    return out


def _coverage_sheet(wb, cov: Coverage):
    ws = wb.create_sheet("ความครอบคลุม")
    ws.cell(row=1, column=1, value=cov.money_rule).font = excel.BODY
    headers = ["รหัส", cov.framework_plan.title_th, "ครอบคลุม", "จำนวนองค์ประกอบ", "จำนวนโครงการ",
               *(f"งบประมาณ {y} (บาท)" for y in cov.years), "รวม (บาท)"]
    row = excel.write_header(ws, 2, headers, [8, 50, 16, 14, 14, *[16] * len(cov.years), 18])
    amount_cols = range(6, 6 + len(cov.years) + 1)
    for r in cov.rows:
        row = excel.write_row(ws, row, [r.element.code, r.element.title_th, _addressed_text(r),
                                        r.elements, r.projects, *cov.budget_cells(r), r.total], amount_cols)
    row = excel.write_row(ws, row, ["", "ไม่เชื่อมโยงกับ" + cov.framework_plan.title_th, "", "", "",
                                    *cov.unlinked_cells, cov.unlinked_total], amount_cols)
    excel.write_row(ws, row, ["", "รวมทั้งสิ้น", "", "", "", *cov.year_totals, cov.total], amount_cols)


def _addressed_text(r: Row) -> str:
    if r.addressed_directly:
        return "✓ โดยตรง"
    return "ผ่านกรอบอื่น" if r.addressed_through_framework else ""
