"""“Why is this here?”: one element followed through the editions of its plan (Element.carried_from,
set when an edition is started; for editions copied before that field existed, the element with the
same code in the neighbouring edition), with what touched each version: hearing comments and their
answers, the plan's committee resolutions and return reasons, the edition's reason, results per round.

Everything is filtered by what the reader may see: editions by plans.view_plan, workflow records by
governance.view_history (not public even for a published plan), comments of public rounds only
(unless the reader may see the round's comments), hidden comments never."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from oneplan.plans.editions import line_of
from oneplan.plans.models import Element, ElementKind, Plan


@dataclass
class Version:
    plan: Plan
    element: Element
    comments: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    results: list = field(default_factory=list)
    can_history: bool = False


def _previous(element: Element, plan: Plan) -> Element | None:
    if element.carried_from_id:
        return element.carried_from
    if plan.supersedes_id is None:
        return None
    return Element.objects.filter(plan_id=plan.supersedes_id, code=element.code).first()


def lineage(element: Element) -> list[Element]:
    """The element's versions, oldest edition first, across the whole line of editions."""
    by_plan = {p.pk: p for p in line_of(element.plan)}
    chain, seen, node = [element], {element.pk}, element
    while True:  # backwards
        prev = _previous(node, by_plan.get(node.plan_id, node.plan))
        if prev is None or prev.pk in seen:
            break
        chain.insert(0, prev)
        seen.add(prev.pk)
        node = prev
    node = element
    while True:  # forwards: the element carried from this one, or the same code in the next edition
        nxt = Element.objects.filter(carried_from=node).first() or Element.objects.filter(
            plan__supersedes_id=node.plan_id, code=node.code, carried_from__isnull=True).first()
        if nxt is None or nxt.pk in seen:
            break
        chain.append(nxt)
        seen.add(nxt.pk)
        node = nxt
    return chain


def build(element: Element, user) -> list[Version]:
    versions = []
    for e in lineage(element):
        plan = Plan.objects.select_related("owner").get(pk=e.plan_id)
        if not user.has_perm("plans.view_plan", plan):
            continue
        v = Version(plan, e, can_history=user.has_perm("governance.view_history", plan))
        v.comments = _comments(e, user)
        if v.can_history:
            v.transitions = list(plan.transitions.exclude(resolution="", reason="")
                                 .select_related("committee").order_by("at", "id"))
        v.results = _results(e)
        versions.append(v)
    return versions


def _comments(e: Element, user) -> list:
    from oneplan.consultation.models import Comment

    rows = (Comment.objects.filter(Q(element=e) | Q(answer__element=e), hidden=False)
            .select_related("round__plan__owner", "answer").order_by("created_at").distinct())
    return [c for c in rows if c.round.is_public or user.has_perm("consultation.view_comments", c.round)]


def _results(e: Element) -> list:
    """Approved KPI results of the element (a KPI) or of the KPIs directly under it, and project progress."""
    from oneplan.monitoring.models import KPIResult, ProjectProgress

    kpis = [e.pk] if e.kind == ElementKind.KPI else list(
        e.children.filter(kind=ElementKind.KPI).values_list("pk", flat=True))
    rows = list(KPIResult.objects.filter(kpi_id__in=kpis, approved_by__isnull=False)
                .select_related("round", "kpi__element").order_by("round__fiscal_year", "round__number"))
    if e.kind == ElementKind.PROJECT:
        rows += list(ProjectProgress.objects.filter(project_id=e.pk, approved_by__isnull=False)
                     .select_related("round").order_by("round__fiscal_year", "round__number"))
    return rows
