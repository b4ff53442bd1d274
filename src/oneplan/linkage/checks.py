"""One-plan checks: what in a plan breaks the chain from the village to the National Strategy.
Each finding names the element, says what is wrong in Thai and links to the page that fixes it."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oneplan.plans import graph
from oneplan.plans.editions import edition_in_force
from oneplan.plans.models import Element, ElementKind, Link, Plan, PlanKind, PlanStatus, Project
from oneplan.plans.models.elements import STRATEGIC_KINDS

TOP_LEVEL_KINDS = {ElementKind.VISION, ElementKind.MISSION, ElementKind.ULTIMATE_GOAL, ElementKind.ISSUE,
                   ElementKind.FOCUS_AREA}
GOAL_KINDS = {ElementKind.ULTIMATE_GOAL, ElementKind.OBJECTIVE}
LAO_WITH_PROVINCE_FRAME = {PlanKind.LAO_LOCAL, PlanKind.LAO_ANNUAL, PlanKind.LAO_THEMATIC}

KINDS = {
    "issue_unlinked": _("Strategic issues not linked to the National Strategy or a master plan"),
    "project_no_strategy": _("Projects not under any strategy of the plan"),
    "project_no_master_plan": _("Projects with no path to a master plan"),
    "lao_unlinked": _("LAO strategies not linked to the LAO strategy in the province or the provincial plan"),
    "superseded_link": _("Links to a superseded framework edition"),
    "expired_link": _("Links to a plan whose period ended before this plan starts"),
    "goal_without_kpi": _("Goals and objectives without a KPI"),
    "project_no_kpi": _("Projects without a KPI"),
    "orphan": _("Orphan elements (no parent, not a top-level kind)"),
}


@dataclass
class Finding:
    kind: str
    element: Element
    message: str
    fix_url: str
    successor: Element | None = None
    link: Link | None = None

    @property
    def label(self):
        return KINDS[self.kind]


def _link_url(element: Element) -> str:
    return reverse("linkage:review", args=[element.plan_id]) + f"?element={element.pk}"


def check_plan(plan: Plan) -> list[Finding]:
    elements = list(plan.elements.select_related("parent").order_by("order", "id"))
    findings: list[Finding] = []
    reach = ChainKinds(elements)
    for check in (_issues, _projects, _lao_strategies, _superseded_links, _expired_links, _goals_without_kpi,
                  _projects_without_kpi, _orphans):
        findings += check(plan, elements, reach)
    return findings


class ChainKinds:
    """Plan kinds reached by each element's upward chain, within one plan. An element without links of
    its own reaches exactly what its parent reaches (graph.inherited_links), so only linked elements
    need a graph.upward_chain walk: 50 projects under 6 linked strategies cost 6 walks, not 56."""

    def __init__(self, elements: list[Element]):
        self.by_id = {e.pk: e for e in elements}
        self.linked = set(Link.objects.filter(source__in=elements).values_list("source_id", flat=True))
        self.memo: dict[int, set[str]] = {}
        self.links = graph.ChainLinks()
        self.links.close(self.linked)   # every chain above the plan, a few queries per layer

    def __call__(self, element: Element) -> set[str]:
        if element.pk not in self.memo:
            parent = self.by_id.get(element.parent_id)
            inherited = self(parent) if parent is not None else set()
            self.memo[element.pk] = (chain_kinds(element, self.links) if element.pk in self.linked
                                     else set()) | inherited
        return self.memo[element.pk]


def chain_kinds(element: Element, links: graph.ChainLinks | None = None) -> set[str]:
    """Kinds of every plan on the element's upward chain (one graph.upward_chain walk, not one per kind)."""
    kinds: set[str] = set()

    def collect(nodes):
        for node in nodes:
            kinds.add(node.element.plan.kind)
            collect(node.parents)

    collect(graph.upward_chain(element, links=links))
    return kinds




def _issues(plan, elements, reach):
    if plan.is_framework:
        return []
    return [Finding("issue_unlinked", e, f"ประเด็นยุทธศาสตร์ “{e.code} {e.title_th}” ยังไม่เชื่อมโยงกับยุทธศาสตร์ชาติ"
                                         f"หรือแผนแม่บท (ทั้งโดยตรงและผ่านแผนระดับบน)", _link_url(e))
            for e in elements if e.kind == ElementKind.ISSUE
            and not reach(e) & {PlanKind.NATIONAL_STRATEGY, PlanKind.MASTER_PLAN}]


def _ancestor_kinds(element, by_id) -> set[str]:
    """Kinds of the element's ancestors, from the plan's elements already read (no query per project)."""
    kinds, seen, node = set(), {element.pk}, by_id.get(element.parent_id)
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        kinds.add(node.kind)
        node = by_id.get(node.parent_id)
    return kinds


def _projects(plan, elements, reach):
    found = []
    by_id = {e.pk: e for e in elements}
    for e in (x for x in elements if x.kind == ElementKind.PROJECT):
        if not _ancestor_kinds(e, by_id) & set(STRATEGIC_KINDS):
            found.append(Finding("project_no_strategy", e, f"โครงการ “{e.code} {e.title_th}” ไม่อยู่ภายใต้"
                                 f"ยุทธศาสตร์/แนวทางการพัฒนาใดของแผน", reverse("plans:element_edit", args=[e.pk])))
        if PlanKind.MASTER_PLAN not in reach(e):
            found.append(Finding("project_no_master_plan", e, f"โครงการ “{e.code} {e.title_th}” ไม่มีเส้นทาง"
                                 f"เชื่อมโยงขึ้นไปถึงแผนแม่บทภายใต้ยุทธศาสตร์ชาติ", _link_url(e)))
    return found


def _lao_strategies(plan, elements, reach):
    if plan.kind not in LAO_WITH_PROVINCE_FRAME:
        return []
    return [Finding("lao_unlinked", e, f"ยุทธศาสตร์ “{e.code} {e.title_th}” ยังไม่เชื่อมโยงกับยุทธศาสตร์การพัฒนา"
                                       f"ของ อปท. ในเขตจังหวัด หรือแผนพัฒนาจังหวัด", _link_url(e))
            for e in elements if e.kind == ElementKind.ISSUE
            and not reach(e) & {PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.PROVINCIAL}]


def successor_plan(plan: Plan) -> Plan | None:
    """The edition in force that replaces a superseded one (plans.editions; never a draft)."""
    current = edition_in_force(plan)
    return current if current is not None and current.pk != plan.pk else None


def successor_element(target: Element) -> Element | None:
    """The element of the edition in force that replaces `target`: same code, else the closest text."""
    plan = successor_plan(target.plan)
    if plan is None:
        return None
    same = plan.elements.filter(code=target.code).first()
    if same is not None:
        return same
    from .engine import DEPTHS, suggest_in_plan

    level = min(len(target.ancestors()), max(DEPTHS.values()))
    depth = next(name for name, n in DEPTHS.items() if n == level)
    best = suggest_in_plan(f"{target.title_th} {target.description_th}", plan, top=1, depth=depth)
    return Element.objects.get(pk=best[0].element_id) if best and not best[0].low_confidence else None


def _superseded_links(plan, elements, reach):
    ids = [e.pk for e in elements]
    links = Link.objects.filter(source_id__in=ids, target__plan__status=PlanStatus.SUPERSEDED).select_related(
        "source", "target__plan")
    found = []
    for link in links:
        if successor_plan(link.target.plan) is None:   # nothing in force replaces it: the link still holds
            continue
        succ = successor_element(link.target)
        hint = f" เสนอให้เปลี่ยนเป็น “{succ.code} {succ.title_th}” ใน{succ.plan.title_th}" if succ else ""
        found.append(Finding("superseded_link", link.source,
                             f"“{link.source.code}” เชื่อมโยงกับ “{link.target.code} {link.target.title_th}” "
                             f"ของ{link.target.plan.title_th} ซึ่งถูกแทนที่แล้ว.{hint}",
                             reverse("plans:element", args=[link.source_id]), succ, link))
    return found


def _expired_links(plan, elements, reach):
    """Links to a plan whose years ended before this plan's first year (a 2566–2570 plan linked to a
    provincial plan for 2561–2564): the plan it should serve is the one in force now."""
    ids = [e.pk for e in elements]
    links = (Link.objects.filter(source_id__in=ids, target__plan__end_year__lt=plan.start_year)
             .select_related("source", "target__plan").order_by("source__order", "source_id"))
    return [Finding("expired_link", link.source,
                    f"“{link.source.code}” เชื่อมโยงกับ “{link.target.code} {link.target.title_th}” ของ"
                    f"{link.target.plan.title_th} (พ.ศ. {link.target.plan.start_year}–{link.target.plan.end_year}) "
                    f"ซึ่งสิ้นสุดแล้วก่อนแผนนี้เริ่ม (พ.ศ. {plan.start_year}) ควรเชื่อมโยงกับแผนฉบับที่ใช้อยู่ในช่วงเวลาของแผนนี้",
                    _link_url(link.source), link=link)
            for link in links]


def _projects_without_kpi(plan, elements, reach):
    """A project measured by nothing: no KPI element under it and no KPI text in its ผ.02 row."""
    with_kpi = {e.parent_id for e in elements if e.kind == ElementKind.KPI}
    with_text = set(Project.objects.filter(element__in=elements).exclude(kpi_text="")
                    .values_list("element_id", flat=True))
    return [Finding("project_no_kpi", e, f"โครงการ “{e.code} {e.title_th}” ยังไม่มีตัวชี้วัด (KPI) "
                                         f"ทั้งในรายละเอียดโครงการและองค์ประกอบตัวชี้วัด",
                    reverse("plans:element_edit", args=[e.pk]))
            for e in elements if e.kind == ElementKind.PROJECT and e.pk not in with_kpi | with_text]


def _goals_without_kpi(plan, elements, reach):
    with_kpi = {e.parent_id for e in elements if e.kind == ElementKind.KPI}
    return [Finding("goal_without_kpi", e, f"เป้าประสงค์ “{e.code} {e.title_th}” ยังไม่มีตัวชี้วัด",
                    reverse("plans:element_add", args=[plan.pk]) + f"?parent={e.pk}&kind=kpi")
            for e in elements if e.kind in GOAL_KINDS and e.pk not in with_kpi]


def _orphans(plan, elements, reach):
    if plan.is_framework:
        return []
    return [Finding("orphan", e, f"“{e.code} {e.title_th}” ({e.get_kind_display()}) ไม่มีองค์ประกอบแม่ "
                                 f"ทั้งที่ไม่ใช่องค์ประกอบระดับบนสุด", reverse("plans:element_edit", args=[e.pk]))
            for e in elements if e.parent_id is None and e.kind not in TOP_LEVEL_KINDS]


def summary(findings: list[Finding]) -> list[tuple[str, str, int]]:
    counts = {k: 0 for k in KINDS}
    for f in findings:
        counts[f.kind] += 1
    return [(k, KINDS[k], n) for k, n in counts.items()]
