"""Walking the plan graph: upward chains (project → … → National Strategy), downward
traceability (framework element → everything across the country that contributes), budget totals."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

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


def contributors(element: Element) -> set[int]:
    """IDs of all elements across all plans that contribute to `element`: linked to it or to one of
    its descendants, transitively through lower plans, together with their descendants."""
    frontier = {element.pk, *element.descendants().values_list("pk", flat=True)}
    targets_seen = set(frontier)
    found: set[int] = set()
    while frontier:
        sources = set(Link.objects.filter(target_id__in=frontier).values_list("source_id", flat=True))
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

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget_by_year.values(), Decimal(0))


def contribution(element: Element) -> Contribution:
    ids = contributors(element)
    qs = Element.objects.filter(pk__in=ids)
    projects = qs.filter(kind=ElementKind.PROJECT)
    budget = (BudgetLine.objects.filter(project__element__in=projects, stage="plan")
              .values("fiscal_year").annotate(total=Sum("amount")).order_by("fiscal_year"))
    return Contribution(
        element_count=len(ids), project_count=projects.count(),
        plan_count=qs.values("plan").distinct().count(),
        budget_by_year={row["fiscal_year"]: row["total"] for row in budget})


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
