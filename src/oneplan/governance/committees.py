"""Which committee (an Organisation of kind "committee") a plan goes to, and which one holds it now."""
from __future__ import annotations

from oneplan.organisations.models import CommitteeType, Organisation
from oneplan.plans.models import Plan

from .workflow import current_state, workflow_for


def committee_for(plan: Plan, committee_type: str) -> Organisation | None:
    """ก.บ.จ. of the plan's province, ก.บ.ก. of its cluster, the one ก.น.บ., or the local development
    committee / SAO council of the owner LAO."""
    committees = Organisation.objects.filter(kind="committee", committee_type=committee_type)
    if committee_type == CommitteeType.KNB:
        return committees.order_by("pk").first()
    if committee_type in (CommitteeType.LOCAL_DEVELOPMENT, CommitteeType.COUNCIL):
        return committees.filter(parent_id=plan.owner_id).order_by("pk").first() if plan.owner_id else None
    if not plan.area_id:
        return None
    area = plan.area if committee_type == CommitteeType.KBK else plan.area.province()
    return committees.filter(area=area).order_by("pk").first() if area else None


def holding_committee(plan: Plan) -> Organisation | None:
    """The committee the plan currently sits with (recorded on the step that sent it there)."""
    flow = workflow_for(plan)
    if flow is None:
        return None
    last = plan.transitions.select_related("committee").order_by("-at", "-id").first()
    state = current_state(plan, flow, last=last)
    if not state.committee_type:
        return None
    if last is not None and last.to_state == state.code and last.committee_id:
        return last.committee
    return committee_for(plan, state.committee_type)
