"""Guidance beside the work: the governance panel and the element form include these (one line each)."""
from django import template

from .. import guidance
from ..models import GuidanceTopic

register = template.Library()


@register.inclusion_tag("knowledge/_guidance_box.html")
def step_guidance(plan, state):
    """The guidance in force for the plan kind and its current workflow state, with the deadline."""
    if state is None:
        return {"shown": None}
    return {"shown": guidance.for_plan(plan, GuidanceTopic.STEP, state.code), "plan": plan}


@register.inclusion_tag("knowledge/_guidance_box.html")
def element_guidance(plan, kind):
    if not kind:
        return {"shown": None}
    return {"shown": guidance.for_plan(plan, GuidanceTopic.ELEMENT, kind), "plan": plan}


@register.inclusion_tag("knowledge/_element_knowledge.html", takes_context=True)
def element_knowledge(context):
    """Beside the element form: the guidance for the element's kind, the KPI library (for a KPI) and
    "how others wrote this". Reads the form page's context (the add page has no `element`)."""
    plan, form, element = context.get("plan"), context.get("form"), context.get("element")
    kind = (form["kind"].value() if form is not None else "") or (element.kind if element else "")
    return {**element_guidance(plan, kind), "plan": plan, "kind": kind, "element": element,
            "library": context.get("kpi_form") is not None and kind in ("kpi", ""),
            "title": form["title_th"].value() if form is not None else ""}
