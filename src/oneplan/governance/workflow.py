"""The approval chains, declared in code per plan kind (like Wagtail's tasks and states).

A workflow is a set of states (each maps to the coarse `Plan.status` and, while a committee holds the
plan, to the type of that committee) and actions (from → to, who may take it, what must be recorded).
The fine state of a plan is the `to_state` of its last step, as long as that still agrees with
`Plan.status`; otherwise (a plan loaded from a file, or edited in the admin) the first state of the
workflow with that status.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from oneplan.organisations.models import CommitteeType
from oneplan.plans.models import Plan, PlanKind, PlanStatus

# Who may take an action: the owner organisation's editors (ผู้จัดทำแผน), its approvers (the executive
# who approves and announces), or the secretary of the committee that holds the plan.
EDITOR, APPROVER, SECRETARY = "editor", "approver", "secretary"


@dataclass(frozen=True)
class State:
    code: str
    label: object
    status: str
    committee_type: str = ""  # set while a committee holds the plan


@dataclass(frozen=True)
class Action:
    code: str
    label: object
    sources: tuple[str, ...]
    target: str
    actor: str
    needs_reason: bool = False       # returning a plan: the reason is required
    records_meeting: bool = False    # a committee decision: meeting number n/ปี, date and resolution
    decision: bool = False           # the person who put the plan here may not take it
    needs_hearing: bool = False      # first submission to a committee: the public must have been heard
    style: str = ""                  # "secondary" for the non-default button


@dataclass(frozen=True)
class Workflow:
    name: str
    label: object
    states: tuple[State, ...]
    actions: tuple[Action, ...]

    def state(self, code: str) -> State:
        return next(s for s in self.states if s.code == code)

    def has_state(self, code: str) -> bool:
        return any(s.code == code for s in self.states)

    def action(self, code: str) -> Action | None:
        return next((a for a in self.actions if a.code == code), None)

    def actions_from(self, state_code: str) -> list[Action]:
        return [a for a in self.actions if state_code in a.sources]

    def first_state_with(self, status: str) -> State:
        return next((s for s in self.states if s.status == status), self.states[0])


S = PlanStatus
_COMMON_START = (
    State("draft", _("Draft"), S.DRAFT),
    State("consultation", _("In consultation"), S.CONSULTATION),
    State("revision", _("Revision after consultation"), S.REVISION),
)
_END = (
    State("in_force", _("Announced / in force"), S.IN_FORCE),
    State("superseded", _("Superseded by a newer edition"), S.SUPERSEDED),
)


def _committee_chain(first: str, first_label, first_type: str) -> Workflow:
    """Provincial and province-cluster plans: consultation → ก.บ.จ./ก.บ.ก. → ก.น.บ. → cabinet (seed 004)."""
    states = (
        *_COMMON_START,
        State(first, first_label, S.SUBMITTED, first_type),
        State("returned", _("Returned with comments"), S.RETURNED),
        State(f"{first}_approved", _("Approved by the provincial committee"), S.APPROVED),
        State("knb", _("Submitted to the national committee (KNB)"), S.SUBMITTED, CommitteeType.KNB),
        State("cabinet", _("Approved by KNB, before the cabinet"), S.APPROVED, CommitteeType.KNB),
        *_END,
    )
    actions = (
        Action("open_consultation", _("Open consultation"), ("draft",), "consultation", EDITOR),
        Action("start_revision", _("Close consultation and revise"), ("consultation", "returned"), "revision",
               EDITOR),
        Action(f"submit_{first}", _("Submit to the committee"), ("draft", "revision"), first, EDITOR,
               needs_hearing=True),
        Action(f"approve_{first}", _("Approve (record the meeting)"), (first,), f"{first}_approved", SECRETARY,
               records_meeting=True, decision=True),
        Action(f"return_{first}", _("Return with comments"), (first,), "returned", SECRETARY,
               needs_reason=True, decision=True, style="secondary"),
        Action("submit_knb", _("Submit to KNB"), (f"{first}_approved",), "knb", EDITOR),
        Action("approve_knb", _("KNB approves (record the meeting)"), ("knb",), "cabinet", SECRETARY,
               records_meeting=True, decision=True),
        Action("return_knb", _("KNB returns with comments"), ("knb",), "returned", SECRETARY,
               needs_reason=True, decision=True, style="secondary"),
        # the cabinet decides; the ก.น.บ. secretariat only records its resolution
        Action("cabinet_resolution", _("Record the cabinet resolution (in force)"), ("cabinet",), "in_force",
               SECRETARY, records_meeting=True),
    )
    return Workflow(f"chain_{first}", _("Provincial approval chain"), states, actions)


PROVINCIAL = _committee_chain("kbj", _("Submitted to the provincial committee (KBJ)"), CommitteeType.KBJ)
CLUSTER = _committee_chain("kbk", _("Submitted to the cluster committee (KBK)"), CommitteeType.KBK)


def _lao_chain(with_council: bool) -> Workflow:
    """LAO plans (Interior regulation 2548, amended 2559/2561): support committee with the community
    forum → local development committee → (SAO council, for SAO plans) → the executive announces."""
    after_committee = "council" if with_council else "executive"
    states = (
        State("draft", _("Draft"), S.DRAFT),
        State("consultation", _("Community forum / support committee"), S.CONSULTATION),
        State("revision", _("Revision"), S.REVISION),
        State("local_dev", _("Before the local development committee"), S.SUBMITTED,
              CommitteeType.LOCAL_DEVELOPMENT),
        State("returned", _("Returned with comments"), S.RETURNED),
        *((State("council", _("Before the SAO council"), S.SUBMITTED, CommitteeType.COUNCIL),) if with_council
          else ()),
        State("executive", _("Awaiting the executive's approval"), S.APPROVED),
        *_END,
    )
    actions = [
        Action("open_consultation", _("Hold the community forum"), ("draft",), "consultation", EDITOR),
        Action("submit_local_dev", _("Submit to the local development committee"), ("consultation", "revision"),
               "local_dev", EDITOR, needs_hearing=True),
        # after the forum the editor works the people's comments into the draft before the committee
        Action("start_revision", _("Revise"), ("consultation", "returned"), "revision", EDITOR),
        Action("approve_local_dev", _("Committee agrees (record the meeting)"), ("local_dev",), after_committee,
               SECRETARY, records_meeting=True, decision=True),
        Action("return_local_dev", _("Return with comments"), ("local_dev",), "returned", SECRETARY,
               needs_reason=True, decision=True, style="secondary"),
    ]
    if with_council:
        actions += [
            Action("approve_council", _("Council agrees (record the meeting)"), ("council",), "executive",
                   SECRETARY, records_meeting=True, decision=True),
            Action("return_council", _("Council returns with comments"), ("council",), "returned", SECRETARY,
                   needs_reason=True, decision=True, style="secondary"),
        ]
    actions += [
        Action("announce", _("Approve and announce (in force)"), ("executive",), "in_force", APPROVER,
               decision=True),
        Action("return_executive", _("Executive returns for revision"), ("executive",), "returned", APPROVER,
               needs_reason=True, decision=True, style="secondary"),
    ]
    return Workflow("lao_council" if with_council else "lao", _("Local plan approval"), states, tuple(actions))


LAO = _lao_chain(with_council=False)
LAO_SAO = _lao_chain(with_council=True)

_BY_KIND = {
    PlanKind.PROVINCIAL: PROVINCIAL, PlanKind.PROVINCIAL_GOAL: PROVINCIAL, PlanKind.PROVINCIAL_ANNUAL: PROVINCIAL,
    PlanKind.CLUSTER: CLUSTER,
    PlanKind.LAO_PROVINCE_STRATEGY: LAO, PlanKind.LAO_THEMATIC: LAO, PlanKind.LAO_LOCAL: LAO,
    PlanKind.LAO_ANNUAL: LAO, PlanKind.COMMUNITY: LAO,
}
ALL_WORKFLOWS = (PROVINCIAL, CLUSTER, LAO, LAO_SAO)


def workflow_for(plan: Plan) -> Workflow | None:
    """The chain a plan goes through; None for national frameworks (approved outside OnePlan)."""
    if plan.is_framework:
        return None
    flow = _BY_KIND.get(plan.kind)
    if flow is LAO and plan.owner_id and plan.owner.kind == "sao":
        return LAO_SAO
    return flow


_UNSET = object()


def current_state(plan: Plan, flow: Workflow | None = None, last=_UNSET) -> State | None:
    """The fine-grained state; `last` may pass the plan's last Transition (or None) to save a query."""
    flow = flow or workflow_for(plan)
    if flow is None:
        return None
    if last is _UNSET:
        last = plan.transitions.order_by("-at", "-id").first()
    if last is not None and flow.has_state(last.to_state) and flow.state(last.to_state).status == plan.status:
        return flow.state(last.to_state)
    return flow.first_state_with(plan.status)


def step_labels() -> list[tuple[str, str]]:
    """(state code, label) of every state in any workflow, for the calendar's choices."""
    seen = {}
    for flow in ALL_WORKFLOWS:
        for s in flow.states:
            seen.setdefault(s.code, s.label)
    return list(seen.items())
