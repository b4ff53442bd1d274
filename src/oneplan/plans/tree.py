"""Build a plan's element tree in memory (one query per relation), for pages and exports."""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Element, Plan


@dataclass
class Node:
    element: Element
    children: list["Node"] = field(default_factory=list)
    budget_by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget_by_year.values(), Decimal(0))


def build_tree(plan: Plan) -> list[Node]:
    elements = list(plan.elements.select_related("kpi", "project")
                    .prefetch_related("links_up__target__plan", "kpi__targets", "project__budgets")
                    .order_by("order", "id"))
    nodes = {e.pk: Node(e) for e in elements}
    roots = []
    for e in elements:
        (nodes[e.parent_id].children if e.parent_id in nodes else roots).append(nodes[e.pk])
    for root in roots:
        _sum_budgets(root)
    return roots


def _sum_budgets(node: Node) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    project = getattr(node.element, "project", None) if node.element.kind == "project" else None
    if project is not None:
        for b in project.budgets.all():
            if b.stage == "plan":
                totals[b.fiscal_year] += b.amount
    for child in node.children:
        for year, amount in _sum_budgets(child).items():
            totals[year] += amount
    node.budget_by_year = dict(totals)
    return totals


def flatten(nodes: list[Node], depth: int = 0):
    for n in nodes:
        yield n, depth
        yield from flatten(n.children, depth + 1)
