"""The one-plan budget view of a province: everything planned there by every organisation, rolled up
by provincial strategic issue, master plan, NESDP milestone, SDG, source, organisation and year.

Scale: amounts are summed in the database (values/annotate); Python only sees the aggregated rows
(one per parent element of projects — a few thousand for a whole province, not 40,000 projects).
Framework attribution follows plans.graph's rule (a project contributes to what it and its
ancestors link to), walked in memory over the links loaded in a few batched queries, and takes the
*nearest* links: a project whose strategy links straight to master plan 07 counts for 07, not for
every master plan the provincial issue above it also links to. A budget reaching several groups is
split equally among them (to the satang, remainder on the last) so every table sums to the total.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Q, Sum

from oneplan.plans.models import BudgetLine, BudgetSource, Element, ElementKind, Link, Plan, PlanKind
from oneplan.plans.visibility import visible_plans

ZERO, CENT = Decimal(0), Decimal("0.01")
# Annual plans restate projects of the 5-year plans: counting both would double the province's budget.
EXCLUDED_KINDS = {PlanKind.LAO_ANNUAL, PlanKind.PROVINCIAL_ANNUAL}
FRAMEWORK_DIMENSIONS = {"master_plan": "master-plans", "milestone": "nesdp13", "sdg": "sdg"}
UNLINKED = "—"
SANKEY_TOP_ORGS = 15


def area_plans(area, user=None):
    """Plans of the province or below, or owned by organisations there (frameworks excluded)."""
    inside = (Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)
              | Q(area__isnull=True, owner__area=area) | Q(area__isnull=True, owner__area__parent=area)
              | Q(area__isnull=True, owner__area__parent__parent=area))
    qs = visible_plans(user) if user is not None else Plan.objects.all()
    return qs.filter(inside, framework="").exclude(status="superseded").exclude(kind__in=EXCLUDED_KINDS)


def split(amount: Decimal, n: int) -> list[Decimal]:
    share = (amount / n).quantize(CENT, rounding=ROUND_DOWN)
    return [share] * (n - 1) + [amount - share * (n - 1)]


@dataclass
class Group:
    key: str
    label: str
    amount: Decimal = ZERO
    projects: int = 0
    organisations: set = field(default_factory=set)


class LinkIndex:
    """Parents and upward links of the elements met, loaded in batches (a query per layer)."""

    def __init__(self, preload_plans=()):
        self.info: dict[int, tuple] = {}        # id -> (parent_id, plan_id, kind, code, title)
        self.up: dict[int, list[int]] = defaultdict(list)
        self.plan_framework: dict[int, str] = dict(Plan.objects.values_list("pk", "framework"))
        self._memo: dict[tuple, frozenset] = {}
        if preload_plans:
            self._load_rows(Element.objects.filter(plan__in=preload_plans).exclude(kind=ElementKind.PROJECT))

    def _load_rows(self, qs):
        new = []
        for row in qs.values_list("pk", "parent_id", "plan_id", "kind", "code", "title_th"):
            self.info[row[0]] = row[1:]
            new.append(row[0])
        for s, t in Link.objects.filter(source_id__in=new).values_list("source_id", "target_id"):
            self.up[s].append(t)
        return new

    def ensure(self, ids):
        missing = {i for i in ids if i is not None and i not in self.info}
        while missing:
            self._load_rows(Element.objects.filter(pk__in=missing))
            wanted = {self.info[i][0] for i in missing if i in self.info}
            wanted |= {t for i in missing for t in self.up.get(i, ())}
            missing = {i for i in wanted if i is not None and i not in self.info}

    def chain(self, eid: int) -> list[int]:
        out = []
        while eid is not None and eid in self.info:
            out.append(eid)
            eid = self.info[eid][0]
        return out

    def root(self, eid: int) -> int:
        return self.chain(eid)[-1]

    def nearest(self, eid: int, key: str, accept) -> frozenset:
        """Elements accepted by `accept` nearest upward from `eid`: itself or an ancestor; else what
        the element links to, else what its nearest linked ancestor links to; else further up."""
        memo_key = (eid, key)
        if memo_key in self._memo:
            return self._memo[memo_key]
        self._memo[memo_key] = frozenset()   # links go strictly upward, but guard against bad data
        chain = self.chain(eid)
        found = {c for c in chain if accept(c)}
        for c in chain if not found else ():        # the element's own links before its ancestors'
            targets = self.up.get(c, ())
            self.ensure(targets)
            found = {t for t in targets if accept(t)}
            if found:
                break
        for c in chain if not found else ():        # then further up, nearest ancestor first
            for t in self.up.get(c, ()):
                found |= self.nearest(t, key, accept)
            if found:
                break
        self._memo[memo_key] = frozenset(found)
        return self._memo[memo_key]


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


def area_budget(area, stage: str = "plan", year: int | None = None, user=None) -> AreaBudget:
    """Two passes over the budget lines in the database — per parent element of projects, and per
    source × year — and everything else from those aggregated rows."""
    plan_info = {p["pk"]: p for p in area_plans(area, user).values("pk", "owner_id", "owner__name_th")}
    lines = BudgetLine.objects.filter(project__element__plan_id__in=list(plan_info), stage=stage)
    if year:
        lines = lines.filter(fiscal_year=year)
    rows = list(lines.values("project__element__parent_id", "project__element__plan_id")
                .annotate(total=Sum("amount"), projects=Count("project_id", distinct=True)))
    cells = {(r["source"], r["fiscal_year"]): r["total"]
             for r in lines.values("source", "fiscal_year").annotate(total=Sum("amount"))}
    index = LinkIndex(preload_plans=list(plan_info))
    dims = _framework_dimensions(index, rows, plan_info, area)
    years = sorted({y for _s, y in cells})
    labels = dict(BudgetSource.choices)
    by_source = sorted((Group(s, str(labels.get(s, s)), sum((v for (s2, _y), v in cells.items() if s2 == s), ZERO))
                        for s in {s for s, _y in cells}), key=lambda g: -g.amount)
    by_year = [Group(str(y), str(y), sum((v for (_s, y2), v in cells.items() if y2 == y), ZERO)) for y in years]
    matrix = [(g, [cells.get((g.key, y), ZERO) for y in years]) for g in by_source]
    by_org = _by_org(rows, plan_info)
    return AreaBudget(area, stage, year, sum((r["total"] for r in rows), ZERO), sum(r["projects"] for r in rows),
                      len(plan_info), by_source, by_year, by_org, dims["issue"], dims["master_plan"],
                      dims["milestone"], dims["sdg"], years, matrix, _sankey(index, dims["_mp_org"], by_org))


def _by_org(rows, plan_info) -> list[Group]:
    """Per owner organisation; project counts add up because a project has exactly one parent."""
    groups: dict[str, Group] = {}
    for r in rows:
        info = plan_info[r["project__element__plan_id"]]
        g = groups.setdefault(str(info["owner_id"]), Group(str(info["owner_id"]), info["owner__name_th"] or "—"))
        g.amount += r["total"]
        g.projects += r["projects"]
    return sorted(groups.values(), key=lambda g: -g.amount)


def provincial_plan(area):
    plans = Plan.objects.filter(kind=PlanKind.PROVINCIAL, area=area).exclude(status="superseded")
    return plans.filter(status="in_force").order_by("-start_year").first() or plans.order_by("-start_year").first()


def coverage(area, dimension: str = "master_plan", stage: str = "plan", user=None) -> list[Group]:
    """Projects, organisations and budget of the province per master plan (or milestone, SDG goal)."""
    lines = BudgetLine.objects.filter(project__element__plan__in=area_plans(area, user), stage=stage)
    rows = list(lines.values("project__element__parent_id", "project__element__plan_id")
                .annotate(total=Sum("amount"), projects=Count("project_id", distinct=True)))
    plan_info = {p["pk"]: p for p in Plan.objects.filter(pk__in={r["project__element__plan_id"] for r in rows})
                 .values("pk", "owner_id")}
    index = LinkIndex(preload_plans=list(plan_info))
    return _framework_dimensions(index, rows, plan_info, area, [dimension])[dimension]


def _framework_dimensions(index: LinkIndex, rows, plan_info, area, only=None) -> dict:
    """Attribute each aggregated row (projects under one parent element) to the nearest provincial
    issue, master plan, NESDP milestone and SDG goal."""
    province_plan = provincial_plan(area) if not only or "issue" in only else None
    accepts = {dim: _in_framework(index, fw) for dim, fw in FRAMEWORK_DIMENSIONS.items()}
    if province_plan is not None:
        accepts["issue"] = lambda t: index.info[t][1] == province_plan.pk
    groups = {dim: {} for dim in only or [*FRAMEWORK_DIMENSIONS, "issue"]}
    mp_org: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for row in rows:
        parent = row["project__element__parent_id"]
        owner = plan_info[row["project__element__plan_id"]]["owner_id"]
        for dim in groups:
            reached = index.nearest(parent, dim, accepts[dim]) if parent and dim in accepts else frozenset()
            keys = sorted({_group_key(index, dim, t) for t in reached})
            for key, amount in zip(keys or [UNLINKED], split(row["total"], max(len(keys), 1)), strict=True):
                group = groups[dim].setdefault(key, Group(key, _group_label(index, dim, key)))
                group.amount += amount
                group.projects += row["projects"]
                group.organisations.add(owner)
                if dim == "master_plan":
                    mp_org[(key, owner)] += amount
    out = {dim: sorted(g.values(), key=lambda g: (g.key == UNLINKED, _sort_code(g.key))) for dim, g in groups.items()}
    out["_mp_org"] = mp_org
    return out


def _in_framework(index: LinkIndex, framework: str):
    return lambda t: index.plan_framework.get(index.info[t][1]) == framework


def _group_key(index: LinkIndex, dim: str, eid: int) -> str:
    if dim == "issue":  # the provincial plan's topmost issue above the element reached
        chain = index.chain(eid)
        issues = [c for c in chain if index.info[c][2] == ElementKind.ISSUE]
        return str(issues[-1] if issues else chain[-1])
    return index.info[index.root(eid)][3]   # framework top level by code: editions merge


def _group_label(index: LinkIndex, dim: str, key: str) -> str:
    if key == UNLINKED:
        return {"issue": "ไม่เชื่อมโยงกับประเด็นยุทธศาสตร์ของจังหวัด", "master_plan": "ไม่เชื่อมโยงแผนแม่บท",
                "milestone": "ไม่เชื่อมโยงหมุดหมาย", "sdg": "ไม่เชื่อมโยง SDGs"}[dim]
    if dim == "issue":
        _p, _plan, _k, code, title = index.info[int(key)]
        return f"{code} {title}"
    title = _framework_title(dim, key)
    return f"{key} {title}" if title else key


_TITLES: dict = {}


def _framework_title(dim: str, code: str) -> str:
    """Title of a framework's top-level element in the edition in force."""
    from oneplan.frameworks import registry

    if dim not in _TITLES:
        plan = registry.plan_in_force(FRAMEWORK_DIMENSIONS[dim])
        _TITLES[dim] = dict(plan.elements.filter(parent__isnull=True).values_list("code", "title_th")) if plan else {}
    return _TITLES[dim].get(code, "")


def _sort_code(code: str):
    return (0, int(code)) if code.isdigit() else (1, code)


def _sankey(index: LinkIndex, mp_org: dict, by_org: list[Group]) -> dict:
    """ECharts Sankey: National Strategy → master plan → organisation. At most SANKEY_TOP_ORGS
    organisations are shown by name; the rest are one node, so the chart stays readable."""
    from oneplan.frameworks import registry

    top = {g.key: g.label for g in by_org[:SANKEY_TOP_ORGS]}
    others = f"หน่วยงานอื่น ๆ ({max(len(by_org) - SANKEY_TOP_ORGS, 0)})"
    ns_of = _ns_of_master_plans(registry)
    ns_titles = _ns_titles(registry)
    flows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (mp, owner), amount in mp_org.items():
        mp_label = _group_label(index, "master_plan", mp)[:40]
        org = top.get(str(owner), others)[:40]
        ns = ns_titles.get(ns_of.get(mp), "ไม่ระบุยุทธศาสตร์ชาติ") if mp != UNLINKED else "ไม่เชื่อมโยงกรอบชาติ"
        flows[(ns, "แผนแม่บท " + mp_label)] += amount
        flows[("แผนแม่บท " + mp_label, org)] += amount
    names = list(dict.fromkeys(n for pair in flows for n in pair))
    return {
        "tooltip": {"trigger": "item"},
        "series": [{"type": "sankey", "emphasis": {"focus": "adjacency"}, "nodeGap": 6,
                    "label": {"fontSize": 11}, "data": [{"name": n} for n in names],
                    "links": [{"source": s, "target": t, "value": float(v)} for (s, t), v in flows.items() if v > 0]}],
    }


def _ns_of_master_plans(registry) -> dict[str, str]:
    plan = registry.plan_in_force("master-plans")
    if plan is None:
        return {}
    rows = Link.objects.filter(source__plan=plan, source__parent__isnull=True,
                               target__plan__framework="national-strategy").values_list("source__code", "target__code")
    return {mp: ns for mp, ns in rows}


def _ns_titles(registry) -> dict[str, str]:
    plan = registry.plan_in_force("national-strategy")
    if plan is None:
        return {}
    return {code: f"ยุทธศาสตร์ชาติ {code} {title}"[:50] for code, title in
            plan.elements.filter(kind=ElementKind.NS_STRATEGY).values_list("code", "title_th")}
