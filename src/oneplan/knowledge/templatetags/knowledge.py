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
