"""The linkage export in the shape national monitoring uses (ระบบติดตามความเชื่อมโยงแผนสามระดับ): one row per
project and fiscal year with its agency, budget and its chain — National Strategy, master plan, sub-plan,
sub-plan target, NESDP milestone, SDG target — read from the plan graph (plans.graph.upward_chain).
A chain is "direct" when the project's own links reach it, "inherited" when it comes through the project's
strategy, issue or a higher plan."""
from __future__ import annotations

from collections import defaultdict

from oneplan.plans.graph import upward_chain
from oneplan.plans.models import Element, ElementKind

K = ElementKind
# which column each framework element kind (and its ancestors' kinds) fills
COLUMNS = (
    ("national_strategy", "ยุทธศาสตร์ชาติ", "National Strategy", {K.NS_STRATEGY, K.NS_TARGET}),
    ("master_plan", "แผนแม่บท", "Master plan", {K.MASTER_PLAN, K.MASTER_PLAN_TARGET}),
    ("sub_plan", "แผนย่อย", "Sub-plan", {K.SUB_PLAN}),
    ("sub_plan_target", "เป้าหมายแผนย่อย", "Sub-plan target", {K.SUB_PLAN_TARGET}),
    ("nesdp_milestone", "หมุดหมายแผนฯ 13", "NESDP milestone", {K.MILESTONE, K.MILESTONE_TARGET}),
    ("sdg_target", "เป้าหมาย SDG", "SDG target", {K.SDG_GOAL, K.SDG_TARGET}),
)
HEAD = (("agency", "หน่วยงาน", "Agency"), ("plan", "รหัสแผน", "Plan key"), ("project_code", "รหัสโครงการ", "Project code"),
        ("project", "ชื่อโครงการ", "Project"), ("fiscal_year", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)"),
        ("amount", "งบประมาณ (บาท)", "Budget (baht)"))
TAIL = (("how", "ลักษณะการเชื่อมโยง (direct/inherited)", "Linked directly or inherited"),)


def _reached(project: Element) -> tuple[dict[str, list[str]], str]:
    """Codes per column, and whether the project's own links reach them."""
    found: dict[str, set[str]] = defaultdict(set)
    direct = False

    def visit(nodes, first_hop):
        nonlocal direct
        for node in nodes:
            el = node.element
            for candidate in (el, *el.ancestors()) if el.plan.is_framework else ():
                for column, _th, _en, kinds in COLUMNS:
                    if candidate.kind in kinds:
                        found[column].add(f"{candidate.plan.short_label} {candidate.code}")
                        direct = direct or (first_hop and node.via is not None and node.via.pk == project.pk)
            visit(node.parents, False)

    visit(upward_chain(project), True)
    how = "direct" if direct else ("inherited" if found else "none")
    return {c: sorted(v) for c, v in found.items()}, how


def header() -> list[tuple[str, str, str]]:
    return [*HEAD, *((c, th, en) for c, th, en, _k in COLUMNS), *TAIL]


def rows(plans):
    projects = (Element.objects.filter(plan__in=plans, kind=K.PROJECT).select_related("plan__owner", "project")
                .prefetch_related("project__budgets").order_by("plan_id", "order", "pk"))
    for project in projects:
        chain, how = _reached(project)
        by_year = defaultdict(lambda: 0)
        for b in project.project.budgets.all() if hasattr(project, "project") else ():
            if b.stage == "plan":
                by_year[b.fiscal_year] += b.amount
        for year in sorted(by_year) or [None]:
            owner = project.plan.owner
            yield [owner.name_th if owner else "", project.plan.key, project.code, project.title_th, year,
                   f"{by_year[year]:.2f}" if year else None,
                   *("; ".join(chain.get(c, [])) for c, *_ in COLUMNS), how]
