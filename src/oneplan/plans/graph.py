"""Walking the plan graph: upward chains (project → … → National Strategy), downward
traceability (framework element → everything across the country that contributes), budget totals."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from oneplan.core import generations

from . import totals
from .editions import in_force_q
from .models import BudgetLine, Element, ElementKind, Link, Plan
from .models.elements import subtree_ids


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


class ChainLinks:
    """`inherited_links` for many elements, read layer by layer and remembered: walking the upward chains
    of a whole plan (or of every issue of a province) costs a few queries per layer of the plan graph,
    not a few per element met. Links are listed in the order they were made (pk)."""

    def __init__(self):
        self.parent: dict[int, int | None] = {}
        self.links: dict[int, list[Link]] = {}

    def _line(self, eid: int) -> list[int]:
        out, seen = [], set()
        while eid is not None and eid not in seen:
            seen.add(eid)
            out.append(eid)
            eid = self.parent.get(eid)
        return out

    def close(self, ids):
        """Read the elements, their ancestors, their links, and so on upward until nothing is new."""
        frontier = {i for i in ids if i is not None}
        while frontier:
            missing = {i for i in frontier if i not in self.parent}
            while missing:
                rows = dict(Element.objects.filter(pk__in=missing).values_list("pk", "parent_id"))
                self.parent.update(rows)
                self.parent.update({i: None for i in missing if i not in rows})
                missing = {p for p in rows.values() if p is not None and p not in self.parent}
            need = [a for i in frontier for a in self._line(i) if a not in self.links]
            for a in need:
                self.links[a] = []
            found = list(Link.objects.filter(source_id__in=need).select_related("target__plan", "source")
                         .order_by("pk")) if need else []
            for link in found:
                self.links[link.source_id].append(link)
            frontier = {link.target_id for link in found if link.target_id not in self.links}

    def __call__(self, element: Element) -> list[Link]:
        if element.pk not in self.links:
            self.close([element.pk])
        return sorted((lk for a in self._line(element.pk) for lk in self.links.get(a, ())), key=lambda lk: lk.pk)


def upward_chain(element: Element, max_depth: int = 8, links: ChainLinks | None = None) -> list[ChainNode]:
    """Every path upward from an element, as a forest of ChainNodes (each node's `parents` are the
    higher elements it links to, directly or through its ancestors). `links`: a ChainLinks shared by
    several walks (a plan's checks, a province's workbook)."""
    seen: set[int] = set()
    if links is None:
        links = ChainLinks()
    links.close([element.pk])

    def grow(el: Element, depth: int) -> list[ChainNode]:
        nodes = []
        for link in links(el):
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
                 also_plans=(), within_plans=None) -> set[int]:
    """IDs of all elements that contribute to `element`: linked to it or to one of its descendants,
    transitively through lower plans, together with their descendants. Only plans in force on `on`
    count (plans.editions: never a draft, never a superseded edition), plus `also_plans` (a plan the
    viewer opened on its own, e.g. their draft). `through_frameworks=False` keeps only what reaches
    the element without passing through another framework (NESDP → master plan).

    With `within_plans` (plan ids: a province's plans), only contributors in those plans are returned,
    found by walking upward from their elements (`Reach`), so the cost is that of the scope, not of
    the country; without it, one recursive query walks downward through the whole country."""
    return set(contributor_rows(element, on, through_frameworks=through_frameworks, also_plans=also_plans,
                                within_plans=within_plans))


def contributor_rows(element: Element, on: date | None = None, *, through_frameworks: bool = True,
                     also_plans=(), within_plans=None) -> dict[int, tuple[int, str, int]]:
    """`contributors`, each with (plan id, kind, order): what pages need to count and list them
    without sending the ids back to the database."""
    if within_plans is not None:
        reach = Reach({element.pk}, on, also_plans=also_plans, through_frameworks=through_frameworks)
        return {eid: reach.row[eid] for eid, goals in reach.of_plans(within_plans).items() if goals}
    return _contributors_down(element, on, through_frameworks, also_plans)


def _allowed_sources(on, through_frameworks, also_plans):
    """Plans whose links carry contributions: in force on `on` (or among `also_plans`)."""
    q = in_force_q(on) | Q(pk__in=list(also_plans))
    qs = Plan.objects.filter(q)
    return qs.filter(framework="") if not through_frameworks else qs


def _contributors_down(element: Element, on, through_frameworks, also_plans) -> dict[int, tuple]:
    """The downward walk in one recursive query: from the element's subtree (not counted itself),
    along links to their sources and from there to the sources' descendants (counted)."""
    from django.db import connection

    plans_sql, plans_params = _allowed_sources(on, through_frameworks, also_plans).order_by().values("pk").query.sql_with_params()
    e, lk = Element._meta.db_table, Link._meta.db_table
    sql = f"""
        WITH RECURSIVE edges(node, up, via_link) AS (
            SELECT id, parent_id, 0 FROM {e} WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT l.source_id, l.target_id, 1 FROM {lk} l JOIN {e} s ON s.id = l.source_id
             WHERE s.plan_id IN ({plans_sql})
        ), walk(node, found) AS (
            SELECT id, 0 FROM {e} WHERE id = %s
            UNION
            SELECT edges.node, CASE WHEN edges.via_link = 1 OR walk.found = 1 THEN 1 ELSE 0 END
              FROM walk JOIN edges ON edges.up = walk.node
        )
        SELECT e.id, e.plan_id, e.kind, e.{connection.ops.quote_name("order")} FROM {e} e
         WHERE e.id IN (SELECT node FROM walk WHERE found = 1)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*plans_params, element.pk])
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


class Reach:
    """Which of the `goals` (element ids) each element reaches upward, by the rule of `contributors`:
    through its own links and its ancestors' (only links from plans in force on `on`, or `also_plans`;
    without `through_frameworks`, not from framework elements), transitively, into a goal or one of
    its descendants. Walked from the scope's elements upward, one query per layer of the graph above
    them (provincial plan, NESDP, master plans…): the cost does not grow with the rest of the country."""

    def __init__(self, goals, on: date | None = None, *, also_plans=(), through_frameworks: bool = True):
        self.goals = frozenset(goals)
        self.on, self.also_plans, self.through_frameworks = on, set(also_plans), through_frameworks
        self.parent: dict[int, int | None] = {}
        self.plan: dict[int, int] = {}
        self.row: dict[int, tuple[int, str, int]] = {}     # id -> (plan id, kind, order)
        self.up: dict[int, list[int]] = defaultdict(list)
        self.allowed: dict[int, bool] = {}
        self._memo: dict[int, frozenset] = {}
        self._above: dict[int, frozenset] = {}

    def _load(self, qs) -> list[int]:
        new = []
        for pk, parent, plan, kind, order in qs.values_list("pk", "parent_id", "plan_id", "kind", "order"):
            if pk not in self.parent:
                self.parent[pk], self.plan[pk], self.row[pk] = parent, plan, (plan, kind, order)
                new.append(pk)
        return new

    def _close(self, new, links):
        """Load the plans met and, layer by layer, every element above `new` (parents, link targets)."""
        while new:
            self._plans({self.plan[i] for i in new})
            for s, t in links:
                if self.allowed[self.plan[s]]:
                    self.up[s].append(t)
            wanted = {self.parent[i] for i in new} | {t for i in new for t in self.up.get(i, ())}
            missing = [i for i in wanted if i is not None and i not in self.parent]
            new = self._load(Element.objects.filter(pk__in=missing).order_by()) if missing else []
            links = list(Link.objects.filter(source_id__in=new).values_list("source_id", "target_id")) if new else []

    def _plans(self, ids):
        ids = [i for i in ids if i not in self.allowed]
        if ids:
            ok = set(_allowed_sources(self.on, self.through_frameworks, self.also_plans).filter(pk__in=ids)
                     .values_list("pk", flat=True))
            self.allowed.update({i: i in ok for i in ids})

    def of_plans(self, plan_ids) -> dict[int, frozenset]:
        """Every element of the plans → the goals it reaches (empty: it contributes to none)."""
        plan_ids = list(plan_ids)
        new = self._load(Element.objects.filter(plan_id__in=plan_ids).order_by())
        links = list(Link.objects.filter(source__plan_id__in=plan_ids).values_list("source_id", "target_id"))
        self._close(new, links)
        return {i: self.reached(i) for i in new}

    def reached(self, eid: int) -> frozenset:
        memo = self._memo
        if eid in memo:
            return memo[eid]
        memo[eid] = frozenset()     # links go strictly upward; guard against bad data all the same
        found = set(self.reached(self.parent[eid])) if self.parent.get(eid) is not None else set()
        for t in self.up.get(eid, ()):
            found |= self.above(t) | self.reached(t)
        memo[eid] = frozenset(found)
        return memo[eid]

    def above(self, eid: int) -> frozenset:
        """Goals among the element and its ancestors (a link into a goal's subtree reaches the goal)."""
        memo = self._above
        if eid not in memo:
            memo[eid] = frozenset()
            parent = self.parent.get(eid)
            memo[eid] = (self.goals & {eid}) | (self.above(parent) if parent is not None else frozenset())
        return memo[eid]


@dataclass
class Contribution:
    element_count: int
    project_count: int
    plan_count: int
    budget_by_year: dict[int, Decimal]
    contributors: dict[int, tuple] = field(default_factory=dict)   # element id → (plan id, kind, order)
    parts: list = field(default_factory=list, repr=False)
    money_rule: str = totals.MONEY_RULE_TH

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget_by_year.values(), Decimal(0))

    def project_shares(self, projects) -> dict[int, Decimal]:
        """The contribution of each of these projects (element ids): those a page lists, not all."""
        return _project_shares(self.parts, list(projects))


def contribution(element: Element, on: date | None = None, plans=None) -> Contribution:
    """What contributes to `element` from the plans in force (or `plans`, a scope of them, e.g. a
    province): elements and projects found by `contributors`, and the budget the one money rule
    (plans.totals.attribute) gives this element and its descendants — so the contributions of the
    top-level elements of a framework, plus what is linked to none, sum to the scope's total."""
    counted = totals.counted_plans(on=on) if plans is None else plans
    counted_ids = set(counted.values_list("pk", flat=True)) if hasattr(counted, "values_list") else \
        {p.pk for p in counted}
    rows = contributor_rows(element, on, within_plans=counted_ids if plans is not None else None)
    found = {i: r for i, r in rows.items() if r[0] in counted_ids}
    subtree = {element.pk, *subtree_ids([element.pk])}
    projects = [i for i, r in found.items() if r[1] == ElementKind.PROJECT]
    plan_ids = {r[0] for r in found.values()}
    plan_count = len(plan_ids)
    if element.plan_id in counted_ids:   # the element's own projects (a provincial issue's) count too
        plan_ids.add(element.plan_id)
        projects += [p for p in Element.objects.filter(pk__in=subtree, kind=ElementKind.PROJECT)
                     .values_list("pk", flat=True) if p not in rows]
    budget = totals.budget_rows(plan_ids)
    index = totals.LinkIndex(on, preload_plans=plan_ids)
    parts = [p for p in totals.attribute(budget, index, {element.plan_id}) if p.element in subtree]
    share = totals.under(parts, subtree)
    return Contribution(element_count=len(found), project_count=len(projects), plan_count=plan_count,
                        budget_by_year=dict(sorted(share.by_year.items())), contributors=found, parts=parts)


# The generation (oneplan.core.generations) of every stored national contribution: dropped when a plan's
# workflow state changes (an edition comes into force or stops being in force) and when a reference
# loader rewrites frozen content (governance.locks.allow_published_changes) — nothing else can change
# what the editions in force contain.
EDITIONS_IN_FORCE = "editions-in-force"
CONTRIBUTION_SECONDS = 24 * 3600


def editions_in_force_changed(**kwargs) -> None:
    """Signal receiver (plans/apps.py): a plan was saved or deleted."""
    generations.changed(EDITIONS_IN_FORCE)


def contribution_summary(element: Element) -> Contribution:
    """`contribution(element)` without its contributor rows: the counts and budget by year an element page
    shows. The national walk of a framework element grows with the country, so for an element of a frozen
    plan (its subtree, and every edition in force that links to it, can no longer change) the summary is
    kept in the shared cache for the day, under the EDITIONS_IN_FORCE generation."""
    from .editions import FROZEN_STATUSES

    def compute() -> Contribution:
        found = contribution(element)
        return Contribution(found.element_count, found.project_count, found.plan_count, found.budget_by_year)

    if element.plan.status not in FROZEN_STATUSES:
        return compute()
    key = f"plans:contribution:{element.pk}:{date.today().isoformat()}"   # in force is decided per day
    return generations.cached(EDITIONS_IN_FORCE, key, compute, CONTRIBUTION_SECONDS)

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
    elements = {e.pk: e for e in plan.elements.only("id", "plan_id", "parent_id", "code", "title_th", "kind")}
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
