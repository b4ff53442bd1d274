"""Where an element of a plan may link to: the frameworks and, for a LAO plan, the LAO strategy in the
province and the provincial plan above it (found by the plan's province)."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from oneplan.frameworks import registry
from oneplan.plans.models import Element, Link, Plan, PlanKind, PlanStatus

from .engine import Suggestion, engine_for, evidence_text
from .models import RejectedSuggestion

FRAMEWORK_SECTIONS = [  # (framework code, depth, heading)
    ("master-plans", "sub_plan", _("Master plans and sub-plans")),
    ("national-strategy", "top", _("National Strategy")),
    ("nesdp13", "top", _("13th NESDP milestones")),
    ("sdg", "sub_plan", _("SDG targets")),
]
PROVINCE_FRAMES = {  # plan kind → the kinds of provincial plans above it
    PlanKind.LAO_LOCAL: [PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.PROVINCIAL],
    PlanKind.LAO_ANNUAL: [PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.PROVINCIAL],
    PlanKind.LAO_THEMATIC: [PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.PROVINCIAL],
    PlanKind.COMMUNITY: [PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.PROVINCIAL],
    PlanKind.LAO_PROVINCE_STRATEGY: [PlanKind.PROVINCIAL],
}


@dataclass
class Section:
    heading: str
    plan: Plan
    depth: str
    suggestions: list[Suggestion]


def province_plan(plan: Plan, kind: str) -> Plan | None:
    """The plan of a kind for the plan's province: the one in force, else the newest not superseded."""
    province = plan.area.province() if plan.area_id else None
    if province is None:
        return None
    qs = Plan.objects.filter(kind=kind, area=province).exclude(status=PlanStatus.SUPERSEDED).order_by("-start_year")
    return qs.filter(status=PlanStatus.IN_FORCE).first() or qs.first()


def target_plans(plan: Plan) -> list[tuple[str, Plan, str]]:
    found = []
    for code, depth, heading in FRAMEWORK_SECTIONS:
        fp = registry.plan_in_force(code)
        if fp is not None and fp.rank < plan.rank:
            found.append((heading, fp, depth))
    for kind in PROVINCE_FRAMES.get(plan.kind, []):
        above = province_plan(plan, kind)
        if above is not None:
            found.append((str(above.get_kind_display()), above, "top"))
    return found


def excluded_targets(element: Element, engine) -> set[int]:
    """Candidates not to suggest: rejected ones, and those already linked (directly or to something
    inside them, e.g. a sub-plan target of the suggested sub-plan)."""
    rejected = set(RejectedSuggestion.objects.filter(source=element).values_list("target_id", flat=True))
    linked = Link.objects.filter(source=element).values_list("target_id", flat=True)
    covered = {engine.candidates[engine.candidate_of[t]].pk for t in linked if t in engine.candidate_of}
    return rejected | covered


def sections_for(element: Element, top: int = 3) -> list[Section]:
    if element.plan.is_framework:
        return []
    text = evidence_text(element)
    sections = []
    for heading, plan, depth in target_plans(element.plan):
        engine = engine_for(plan, depth)
        ranked = engine.rank([text], top, [excluded_targets(element, engine)])[0]
        sections.append(Section(str(heading), plan, depth, ranked))
    return sections
