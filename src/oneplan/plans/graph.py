"""Walking the plan graph: upward chains (project → … → National Strategy), downward
traceability (framework element → everything across the country that contributes), budget totals."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from . import totals
from .editions import in_force_q
from .models import BudgetLine, Element, ElementKind, Link, Plan


def inherited_links(element: Element) -> list[Link]:
    """Links of the element and of its ancestors in its plan: a project under a linked strategy
    contributes to what the strategy links to."""
    ids = [element.pk, *(a.pk for a in element.ancestors())]
    return list(Link.objects.filter(source_id__in=ids).select_related("target__plan", "source"))


@dataclass
class ChainNode:
    element: Element
    via: Element | None = None          # the (ancestor) element whose link leads here
    parents: list[ChainNode] = field(default_factory=list)


def upward_chain(element: Element, max_depth: int = 8) -> list[ChainNode]:
    """Every path upward from an element, as a forest of ChainNodes (each node's `parents` are the
    higher elements it links to, directly or through its ancestors)."""
    seen: set[int] = set()

    def grow(el: Element, depth: int) -> list[ChainNode]:
        nodes = []
        for link in inherited_links(el):
            target = link.target
            node = ChainNode(target, via=link.source)
            if target.pk not in seen and depth < max_depth:
                seen.add(target.pk)
                node.parents = grow(target, depth + 1)
            nodes.append(node)
        return nodes

    return grow(element, 0)


def chain_reaches(element: Element, plan_kind: str) -> bool:
    def walk(nodes):
        return any(n.element.plan.kind == plan_kind or walk(n.parents) for n in nodes)

    return walk(upward_chain(element))


def contributors(element: Element, on: date | None = None, *, through_frameworks: bool = True,
                 also_plans=()) -> set[int]:
    """IDs of all elements that contribute to `element`: linked to it or to one of its descendants,
    transitively through lower plans, together with their descendants. Only plans in force on `on`
    count (plans.editions: never a draft, never a superseded edition), plus `also_plans` (a plan the
    viewer opened on its own, e.g. their draft). `through_frameworks=False` keeps only what reaches
    the element without passing through another framework (NESDP → master plan)."""
    sources_q = in_force_q(on, "source__plan__") | Q(source__plan_id__in=list(also_plans))
    if not through_frameworks:
        sources_q &= Q(source__plan__framework="")
    frontier = {element.pk, *element.descendants().values_list("pk", flat=True)}
    targets_seen = set(frontier)
    found: set[int] = set()
    while frontier:
        sources = set(Link.objects.filter(sources_q, target_id__in=frontier).values_list("source_id", flat=True))
        new = sources - found
        if not new:
            break
        found |= new
        expanded = set(new)
        layer = set(new)
        while layer:  # descendants of the linked elements (projects under a linked strategy)
            layer = set(Element.objects.filter(parent_id__in=layer).values_list("pk", flat=True)) - expanded
            expanded |= layer
        found |= expanded
        frontier = expanded - targets_seen
        targets_seen |= frontier
    return found


@dataclass
class Contribution:
    element_count: int
    project_count: int
    plan_count: int
    budget_by_year: dict[int, Decimal]
    project_shares: dict[int, Decimal] = field(default_factory=dict)   # project element id → share
    money_rule: str = totals.MONEY_RULE_TH

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget_by_year.values(), Decimal(0))


def contribution(element: Element, on: date | None = None, plans=None) -> Contribution:
    """What contributes to `element` from the plans in force (or `plans`, a scope of them, e.g. a
    province): elements and projects found by `contributors`, and the budget the one money rule
    (plans.totals.attribute) gives this element and its descendants — so the contributions of the
    top-level elements of a framework, plus what is linked to none, sum to the scope's total."""
    counted = totals.counted_plans(on=on) if plans is None else plans
    counted_ids = set(counted.values_list("pk", flat=True)) if hasattr(counted, "values_list") else \
        {p.pk for p in counted}
    ids = contributors(element, on)
    qs = Element.objects.filter(pk__in=ids, plan_id__in=counted_ids)
    subtree = {element.pk, *element.descendants().values_list("pk", flat=True)}
    projects = list(qs.filter(kind=ElementKind.PROJECT).values_list("pk", flat=True))
    plan_ids = set(qs.values_list("plan_id", flat=True).distinct())
    if element.plan_id in counted_ids:   # the element's own projects (a provincial issue's) count too
        plan_ids.add(element.plan_id)
        projects += [p for p in Element.objects.filter(pk__in=subtree, kind=ElementKind.PROJECT)
                     .values_list("pk", flat=True) if p not in ids]
    rows = totals.budget_rows(plan_ids)
    index = totals.LinkIndex(on, preload_plans=plan_ids)
    parts = [p for p in totals.attribute(rows, index, {element.plan_id}) if p.element in subtree]
    share = totals.under(parts, subtree)
    return Contribution(element_count=len(ids & set(qs.values_list("pk", flat=True))),
                        project_count=len(projects), plan_count=qs.values("plan").distinct().count(),
                        budget_by_year=dict(sorted(share.by_year.items())),
                        project_shares=_project_shares(parts, projects))


def _project_shares(parts, projects) -> dict[int, Decimal]:
    """Each contributing project's part of the contribution: its budget times the fraction of its
    row (the projects sharing its links) that reaches the element."""
    from .models import Project

    fraction: dict[int, Decimal] = {}
    for part in parts:
        if part.row.total:
            fraction[part.row.start] = fraction.get(part.row.start, Decimal(0)) + \
                sum(part.by_year.values(), Decimal(0)) / part.row.total
    budgets = dict(BudgetLine.objects.filter(project__element_id__in=projects, stage="plan")
                   .values("project__element_id").annotate(t=Sum("amount")).values_list("project__element_id", "t"))
    parent_of = dict(Project.objects.filter(element_id__in=projects).values_list("element_id", "element__parent_id"))
    return {p: (budgets.get(p, Decimal(0)) * fraction.get(p, fraction.get(parent_of.get(p), Decimal(0))))
            .quantize(totals.CENT) for p in projects}


def plan_budget_table(plan: Plan):
    """Totals per top-level strategic branch and per fiscal year, from the plan's project budgets
    (plan-estimate stage), exact Decimals. Returns (rows, years, column totals, grand total)."""
    elements = {e.pk: e for e in plan.elements.only("id", "parent_id", "code", "title_th", "kind")}
    top_of: dict[int, Element] = {}

    def top(e: Element) -> Element:
        if e.pk not in top_of:
            top_of[e.pk] = e if e.parent_id is None else top(elements[e.parent_id])
        return top_of[e.pk]

    lines = BudgetLine.objects.filter(project__element__plan=plan, stage="plan").values_list(
        "project__element_id", "fiscal_year", "amount")
    table: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    years = set(plan.years)
    for element_id, year, amount in lines:
        table[top(elements[element_id]).pk][year] += amount
        years.add(year)
    years = sorted(years)
    rows = [(elements[pk], [table[pk].get(y, Decimal(0)) for y in years], sum(table[pk].values(), Decimal(0)))
            for pk in sorted(table, key=lambda pk: list(elements).index(pk))]
    col_totals = [sum((r[1][i] for r in rows), Decimal(0)) for i in range(len(years))]
    return rows, years, col_totals, sum(col_totals, Decimal(0))


def target_label(element: Element) -> str:
    """'04 title', or — when the element's plan has several editions — 'แผนแม่บท (2566) 04 title', so
    links to two editions of a framework are told apart wherever they are listed."""
    text = f"{element.code} {element.title_th}"
    return f"{element.plan.short_label} {text}" if element.plan.has_editions else text
