"""The one money rule: which plans count, and how a project's budget is attributed to what it serves.

Every total (the province budget view, coverage and the ยท.01 workbook, the contributions on an
element page) is computed here, so the figures of one scope agree whatever page shows them:

- **Which plans count** (`counted_plans`): plans in force on the date (plans.editions), never a draft,
  never a superseded edition; annual plans are left out because they restate projects of the
  five-year plans. Who is looking does not matter: visibility decides which pages a user may open,
  not what a total adds up.
- **Which links count**: only links between elements of plans in force on that date (a link to a
  superseded framework edition, or through a draft, carries no money).
- **How a baht is attributed** (`MONEY_RULE_TH`): a project contributes to what it and its ancestors
  link to, through the *nearest* links (see `LinkIndex.nearest`). When it reaches several top-level
  elements of the target plan (master plans 04 and 07), its budget is split equally among them, to
  the satang with the remainder on the last, then equally among the elements reached under each.
  Every baht is therefore counted once: the top-level figures of a scope plus its "not linked"
  figure sum to the scope's total, and each element's figure is the sum of its children's plus what
  reached it directly.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Q, Sum

from .editions import in_force_q
from .models import BudgetLine, Element, ElementKind, Link, Plan, PlanKind

ZERO, CENT = Decimal(0), Decimal("0.01")
MONEY_RULE_TH = ("งบประมาณของแต่ละโครงการนับครั้งเดียว เฉพาะแผนฉบับที่ใช้อยู่ (ไม่นับฉบับร่าง): "
                 "นับให้องค์ประกอบที่โครงการหรือองค์ประกอบแม่เชื่อมโยงใกล้ที่สุด "
                 "หากเชื่อมโยงหลายรายการ แบ่งเท่ากัน")
# Annual plans restate projects of the 5-year plans: counting both would double the budget.
EXCLUDED_KINDS = frozenset({PlanKind.LAO_ANNUAL, PlanKind.PROVINCIAL_ANNUAL})
UNLINKED = None


def area_q(area, prefix: str = "") -> Q:
    """Plans of the area or below, or (for plans without an area) owned by organisations there."""
    q = Q()
    for path in ("area", "area__parent", "area__parent__parent"):
        q |= Q(**{f"{prefix}{path}": area})
        q |= Q(**{f"{prefix}area__isnull": True, f"{prefix}owner__{path}": area})
    return q


def counted_plans(scope: Q | None = None, on: date | None = None):
    """The plans whose budgets count: in force on `on`, not frameworks, not annual restatements."""
    qs = Plan.objects.filter(in_force_q(on), framework="").exclude(kind__in=EXCLUDED_KINDS)
    return qs.filter(scope) if scope is not None else qs


def split(amount: Decimal, n: int) -> list[Decimal]:
    """`amount` in `n` equal shares to the satang, the remainder on the last (they sum exactly)."""
    share = (amount / n).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (n - 1) + [amount - share * (n - 1)]


# -- budget rows ---------------------------------------------------------------------------------------
@dataclass
class BudgetRow:
    """Projects that share their attribution: those under one parent element without links of their
    own (they reach what the parent reaches), or one project that has links of its own."""

    start: int | None
    plan_id: int
    projects: int
    by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), ZERO)


def budget_rows(plan_ids, stage: str = "plan", year: int | None = None) -> list[BudgetRow]:
    """Budget lines of the plans summed in the database, one row per attribution start."""
    lines = BudgetLine.objects.filter(project__element__plan_id__in=list(plan_ids), stage=stage)
    if year:
        lines = lines.filter(fiscal_year=year)
    linked = set(Link.objects.filter(source__plan_id__in=list(plan_ids), source__kind=ElementKind.PROJECT)
                 .values_list("source_id", flat=True))
    rows: dict[tuple, BudgetRow] = {}
    for part, start_field in ((lines.exclude(project__element_id__in=linked), "project__element__parent_id"),
                              (lines.filter(project__element_id__in=linked), "project__element_id")):
        fields = (start_field, "project__element__plan_id")
        for r in part.values(*fields).annotate(n=Count("project_id", distinct=True)):
            rows[(r[start_field], r["project__element__plan_id"])] = BudgetRow(
                r[start_field], r["project__element__plan_id"], r["n"])
        for r in part.values(*fields, "fiscal_year").annotate(total=Sum("amount")):
            row = rows[(r[start_field], r["project__element__plan_id"])]
            row.by_year[r["fiscal_year"]] = row.by_year.get(r["fiscal_year"], ZERO) + r["total"]
    return list(rows.values())


# -- the link graph in force ---------------------------------------------------------------------------
class LinkIndex:
    """Parents and upward links of the elements met, loaded in batches (a query per layer). Only
    elements of plans in force on the date are known, and only links between them."""

    def __init__(self, on: date | None = None, preload_plans=()):
        self.on = on
        self.info: dict[int, tuple] = {}        # id -> (parent_id, plan_id, kind, code, title)
        self.up: dict[int, list[int]] = defaultdict(list)
        self.plan_framework: dict[int, str] = dict(Plan.objects.values_list("pk", "framework"))
        self.in_force = set(Plan.objects.filter(in_force_q(on)).values_list("pk", flat=True))
        self._memo: dict[tuple, frozenset] = {}
        if preload_plans:
            loaded = self._load_rows(Element.objects.filter(plan__in=list(preload_plans))
                                     .exclude(kind=ElementKind.PROJECT).order_by())
            # everything above them too, one query per layer, rather than one per element met later
            self.ensure({t for i in loaded for t in self.up.get(i, ())})

    def _load_rows(self, qs):
        new = []
        for row in qs.values_list("pk", "parent_id", "plan_id", "kind", "code", "title_th"):
            self.info[row[0]] = row[1:]
            new.append(row[0])
        links = Link.objects.filter(source_id__in=new, target__plan_id__in=self.in_force)
        for s, t in links.values_list("source_id", "target_id"):
            self.up[s].append(t)
        return new

    def ensure(self, ids):
        missing = {i for i in ids if i is not None and i not in self.info}
        while missing:
            self._load_rows(Element.objects.filter(pk__in=missing).order_by())
            wanted = {self.info[i][0] for i in missing if i in self.info}
            wanted |= {t for i in missing for t in self.up.get(i, ())}
            missing = {i for i in wanted if i is not None and i not in self.info}

    def chain(self, eid: int) -> list[int]:
        self.ensure([eid])
        out = []
        while eid is not None and eid in self.info:
            out.append(eid)
            eid = self.info[eid][0]
        return out

    def group_of(self, eid: int) -> int:
        """The unit a budget is split among: the topmost issue above the element, else its root."""
        chain = self.chain(eid)
        issues = [c for c in chain if self.info[c][2] == ElementKind.ISSUE]
        return issues[-1] if issues else chain[-1]

    def nearest(self, eid: int, plan_ids: frozenset) -> frozenset:
        """Elements of the target plans nearest upward from `eid`: itself or an ancestor; else what
        the element links to, else what its nearest linked ancestor links to; else further up."""
        memo_key = (eid, plan_ids)
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = frozenset()   # links go strictly upward, but guard against bad data

        def accept(t):
            return self.info[t][1] in plan_ids

        chain = self.chain(eid)
        found = {c for c in chain if accept(c)}
        for c in chain if not found else ():        # the element's own links before its ancestors'
            targets = self.up.get(c, ())
            self.ensure(targets)
            found = {t for t in targets if t in self.info and accept(t)}
            if found:
                break
        for c in chain if not found else ():        # then further up, nearest ancestor first
            for t in self.up.get(c, ()):
                found |= self.nearest(t, plan_ids)
            if found:
                break
        self._memo[memo_key] = frozenset(found)
        return self._memo[memo_key]


# -- attribution ---------------------------------------------------------------------------------------
@dataclass
class Part:
    """The share of one budget row that reaches one element (`element` None: not linked)."""

    row: BudgetRow
    group: int | None
    element: int | None
    by_year: dict[int, Decimal]


def attribute(rows: list[BudgetRow], index: LinkIndex, plan_ids) -> list[Part]:
    """THE money rule: each row split equally among the groups (top-level elements) of the target
    plans it reaches, then among the elements reached in each group. Parts of a row sum to the row."""
    plan_ids = frozenset(plan_ids)
    parts = []
    for row in rows:
        reached = index.nearest(row.start, plan_ids) if row.start is not None else frozenset()
        by_group: dict[int, list[int]] = defaultdict(list)
        for eid in reached:
            by_group[index.group_of(eid)].append(eid)
        if not by_group:
            parts.append(Part(row, UNLINKED, UNLINKED, dict(row.by_year)))
            continue
        groups = sorted(by_group, key=lambda g: _sort_code(index.info[g][3]) + (g,))
        per_group = {y: split(a, len(groups)) for y, a in row.by_year.items()}
        for gi, group in enumerate(groups):
            elements = sorted(by_group[group])
            per_element = {y: split(shares[gi], len(elements)) for y, shares in per_group.items()}
            for ei, eid in enumerate(elements):
                parts.append(Part(row, group, eid, {y: s[ei] for y, s in per_element.items()}))
    return parts


@dataclass
class Share:
    """What a group (or an element's subtree) receives: budget per year, projects, organisations."""

    by_year: dict[int, Decimal] = field(default_factory=dict)
    projects: int = 0
    plans: set = field(default_factory=set)
    _rows: set = field(default_factory=set, repr=False)

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), ZERO)

    def add(self, part: Part):
        for y, a in part.by_year.items():
            self.by_year[y] = self.by_year.get(y, ZERO) + a
        if id(part.row) not in self._rows:      # a row reaching two elements of a group counts once
            self._rows.add(id(part.row))
            self.projects += part.row.projects
            self.plans.add(part.row.plan_id)


def by_group(parts: list[Part]) -> dict[int | None, Share]:
    out: dict[int | None, Share] = defaultdict(Share)
    for part in parts:
        out[part.group].add(part)
    return dict(out)


def under(parts: list[Part], element_ids: set[int]) -> Share:
    """What reaches any of these elements (an element and its descendants)."""
    share = Share()
    for part in parts:
        if part.element in element_ids:
            share.add(part)
    return share


def _sort_code(code: str) -> tuple:
    return (0, int(code), "") if code.isdigit() else (1, 0, code)
