"""The one-plan budget view of a province: everything planned there by every organisation, rolled up
by provincial strategic issue, master plan, NESDP milestone, SDG, source, organisation and year.

Which plans count and how each baht is attributed is the one money rule of plans.totals (in force
on a date, never a draft, whoever is looking; nearest links; split equally): the coverage page,
the ยท.01 workbook and the contributions on element pages use the same rule, so they agree.
Scale: amounts are summed in the database; Python only sees the aggregated rows (one per parent
element of projects — a few thousand for a whole province, not 40,000 projects).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from oneplan.plans import totals
from oneplan.plans.models import BudgetLine, BudgetSource, ElementKind, Link, Plan, PlanKind
from oneplan.plans.totals import EXCLUDED_KINDS, LinkIndex, split  # noqa: F401  (re-exported)

ZERO = Decimal(0)
FRAMEWORK_DIMENSIONS = {"master_plan": "master-plans", "milestone": "nesdp13", "sdg": "sdg"}
UNLINKED = "—"
SANKEY_TOP_ORGS = 15


def area_plans(area, user=None, on: date | None = None):
    """Plans of the province or below whose budgets count (plans.totals): in force on `on`, the
    same for every user — `user` is accepted for callers that still pass it, and ignored."""
    return totals.counted_plans(totals.area_q(area), on)


@dataclass
class Group:
    key: str
    label: str
    amount: Decimal = ZERO
    projects: int = 0
    organisations: set = field(default_factory=set)


@dataclass
class AreaBudget:
    area: object
    stage: str
    year: int | None
    total: Decimal
    project_count: int
    plan_count: int
    by_source: list[Group]
    by_year: list[Group]
    by_org: list[Group]
    by_issue: list[Group]
    by_master_plan: list[Group]
    by_milestone: list[Group]
    by_sdg: list[Group]
    years: list[int]
    matrix: list[tuple[Group, list[Decimal]]]   # source × year
    sankey: dict
    on: date | None = None
    money_rule: str = totals.MONEY_RULE_TH


def area_budget(area, stage: str = "plan", year: int | None = None, user=None, on: date | None = None,
                owner=None) -> AreaBudget:
    """Budget rows summed in the database (plans.totals.budget_rows) and the cells source × year;
    everything else from those aggregated rows, attributed by the one money rule. With `owner`, only that
    organisation's plans (an LAO's portal page), still read against the province's plan and frameworks."""
    plans = area_plans(area, on=on)
    if owner is not None:
        plans = plans.filter(owner=owner)
    plan_info = {p["pk"]: p for p in plans.values("pk", "owner_id", "owner__name_th")}
    rows = totals.budget_rows(plan_info, stage, year)
    lines = BudgetLine.objects.filter(project__element__plan_id__in=list(plan_info), stage=stage)
    if year:
        lines = lines.filter(fiscal_year=year)
    cells = {(r["source"], r["fiscal_year"]): r["total"]
             for r in lines.values("source", "fiscal_year").annotate(total=Sum("amount"))}
    index = LinkIndex(on, preload_plans=list(plan_info))
    dims = _framework_dimensions(index, rows, plan_info, area, on=on)
    years = sorted({y for _s, y in cells})
    labels = dict(BudgetSource.choices)
    by_source = sorted((Group(s, str(labels.get(s, s)), sum((v for (s2, _y), v in cells.items() if s2 == s), ZERO))
                        for s in {s for s, _y in cells}), key=lambda g: -g.amount)
    by_year = [Group(str(y), str(y), sum((v for (_s, y2), v in cells.items() if y2 == y), ZERO)) for y in years]
    matrix = [(g, [cells.get((g.key, y), ZERO) for y in years]) for g in by_source]
    by_org = _by_org(rows, plan_info)
    return AreaBudget(area, stage, year, sum((r.total for r in rows), ZERO), sum(r.projects for r in rows),
                      len(plan_info), by_source, by_year, by_org, dims["issue"], dims["master_plan"],
                      dims["milestone"], dims["sdg"], years, matrix,
                      _sankey(index, dims["_mp_org"], by_org, on), on)


def _by_org(rows, plan_info) -> list[Group]:
    """Per owner organisation; project counts add up because a project is in exactly one row."""
    groups: dict[str, Group] = {}
    for r in rows:
        info = plan_info[r.plan_id]
        g = groups.setdefault(str(info["owner_id"]), Group(str(info["owner_id"]), info["owner__name_th"] or "—"))
        g.amount += r.total
        g.projects += r.projects
    return sorted(groups.values(), key=lambda g: -g.amount)


def provincial_plan(area, on: date | None = None):
    """The provincial development plan in force on the date (a draft edition never counts)."""
    return (Plan.objects.filter(totals.in_force_q(on), kind=PlanKind.PROVINCIAL, area=area)
            .order_by("-start_year").first())


def framework_in_force(code: str, on: date | None = None):
    """The edition of a framework in force on the date (the 2566 master plans, not the 2561 ones)."""
    return Plan.objects.filter(totals.in_force_q(on), framework=code).order_by("-start_year").first()


def coverage(area, dimension: str = "master_plan", stage: str = "plan", user=None, on: date | None = None) -> list[Group]:
    """Projects, organisations and budget of the province per master plan (or milestone, SDG goal)."""
    plan_info = {p["pk"]: p for p in area_plans(area, on=on).values("pk", "owner_id")}
    rows = totals.budget_rows(plan_info, stage)
    index = LinkIndex(on, preload_plans=list(plan_info))
    return _framework_dimensions(index, rows, plan_info, area, [dimension], on)[dimension]


def _dimension_plans(area, dims, on) -> dict[str, object]:
    plans = {dim: framework_in_force(fw, on) for dim, fw in FRAMEWORK_DIMENSIONS.items() if dim in dims}
    if "issue" in dims:
        plans["issue"] = provincial_plan(area, on)
    return plans


def _framework_dimensions(index: LinkIndex, rows, plan_info, area, only=None, on=None) -> dict:
    """Attribute each budget row to the provincial issue, master plan, NESDP milestone and SDG goal
    it reaches, by the one money rule (plans.totals.attribute)."""
    dims = only or [*FRAMEWORK_DIMENSIONS, "issue"]
    targets = _dimension_plans(area, dims, on)
    out: dict = {}
    mp_org: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for dim in dims:
        plan = targets.get(dim)
        parts = totals.attribute(rows, index, {plan.pk} if plan else set())
        groups: dict[str, Group] = {}
        for group_id, share in totals.by_group(parts).items():
            key = _group_key(index, group_id, dim)
            groups[key] = Group(key, _group_label(index, dim, group_id), share.total, share.projects,
                                {plan_info[p]["owner_id"] for p in share.plans})
        if dim == "master_plan":
            for part in parts:
                owner = plan_info[part.row.plan_id]["owner_id"]
                mp_org[(groups[_group_key(index, part.group, dim)].label, owner)] += sum(part.by_year.values(), ZERO)
        out[dim] = sorted(groups.values(), key=lambda g: (g.key == UNLINKED, totals._sort_code(g.key)))
    out["_mp_org"] = mp_org
    return out


def _group_key(index: LinkIndex, group_id: int | None, dim: str) -> str:
    if group_id is None:
        return UNLINKED
    return str(group_id) if dim == "issue" else index.info[group_id][3]   # one edition: codes are unique


def _group_label(index: LinkIndex, dim: str, group_id: int | None) -> str:
    if group_id is None:
        return {"issue": "ไม่เชื่อมโยงกับประเด็นยุทธศาสตร์ของจังหวัด", "master_plan": "ไม่เชื่อมโยงแผนแม่บท",
                "milestone": "ไม่เชื่อมโยงหมุดหมาย", "sdg": "ไม่เชื่อมโยง SDGs"}[dim]
    _p, _plan, _k, code, title = index.info[group_id]
    return f"{code} {title}"


def _sankey(index: LinkIndex, mp_org: dict, by_org: list[Group], on=None) -> dict:
    """ECharts Sankey: National Strategy → master plan → organisation. At most SANKEY_TOP_ORGS
    organisations are shown by name; the rest are one node, so the chart stays readable."""
    top = {g.key: g.label for g in by_org[:SANKEY_TOP_ORGS]}
    others = f"หน่วยงานอื่น ๆ ({max(len(by_org) - SANKEY_TOP_ORGS, 0)})"
    ns_of = _ns_of_master_plans(on)
    ns_titles = _ns_titles(on)
    flows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    unlinked = _group_label(index, "master_plan", None)
    for (label, owner), amount in mp_org.items():
        mp, mp_label = label.split(" ", 1)[0], label[:40]
        org = top.get(str(owner), others)[:40]
        ns = ns_titles.get(ns_of.get(mp), "ไม่ระบุยุทธศาสตร์ชาติ") if label != unlinked else "ไม่เชื่อมโยงกรอบชาติ"
        flows[(ns, "แผนแม่บท " + mp_label)] += amount
        flows[("แผนแม่บท " + mp_label, org)] += amount
    names = list(dict.fromkeys(n for pair in flows for n in pair))
    return {
        "tooltip": {"trigger": "item"},
        # labels stay inside the chart: those of the last column (organisations) sit left of their
        # node, every label is cut to a width with "…" and the tooltip gives the whole name
        "series": [{"type": "sankey", "emphasis": {"focus": "adjacency"}, "nodeGap": 6,
                    "left": 8, "right": 16, "top": 8, "bottom": 8,
                    "label": {"fontSize": 11, "width": 170, "overflow": "truncate"},
                    "levels": [{"depth": 2, "label": {"position": "left"}}],
                    "data": [{"name": n} for n in names],
                    "links": [{"source": s, "target": t, "value": float(v)} for (s, t), v in flows.items() if v > 0]}],
    }


def _ns_of_master_plans(on) -> dict[str, str]:
    plan = framework_in_force("master-plans", on)
    if plan is None:
        return {}
    rows = Link.objects.filter(source__plan=plan, source__parent__isnull=True,
                               target__plan__framework="national-strategy").values_list("source__code", "target__code")
    return {mp: ns for mp, ns in rows}


def _ns_titles(on) -> dict[str, str]:
    plan = framework_in_force("national-strategy", on)
    if plan is None:
        return {}
    return {code: f"ยุทธศาสตร์ชาติ {code} {title}"[:50] for code, title in
            plan.elements.filter(kind=ElementKind.NS_STRATEGY).values_list("code", "title_th")}
