"""Workflow steps and new editions: the only places that move a plan along its chain or copy it.
Views and commands call these; every refusal is recorded (audit.refuse) before it is raised."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oneplan.core.thai import be_year
from oneplan.core.thai import format_date as be_date_text
from oneplan.plans import editions
from oneplan.plans import rules as plan_rules
from oneplan.plans.interchange import dump_plan, load_plan
from oneplan.plans.models import EditionType, Plan, PlanKind, PlanStatus

from .audit import refuse
from .committees import committee_for, holding_committee
from .models import AuditAction, AuditEntry, Transition
from .workflow import APPROVER, EDITOR, SECRETARY, Action, State, Workflow, current_state, workflow_for

ACTORS = {EDITOR: plan_rules.is_owner_editor, APPROVER: plan_rules.is_owner_approver,
          SECRETARY: plan_rules.is_committee_secretary}
ACTOR_TH = {EDITOR: "ผู้จัดทำแผนของหน่วยงานเจ้าของแผน", APPROVER: "ผู้บริหาร/ผู้อนุมัติของหน่วยงานเจ้าของแผน",
            SECRETARY: "เลขานุการของคณะกรรมการที่แผนเสนออยู่"}


class TransitionRefused(PermissionDenied):
    pass


def last_transition(plan: Plan) -> Transition | None:
    return plan.transitions.select_related("user", "committee").order_by("-at", "-id").first()


def why_not(user, plan: Plan, action: Action, last: Transition | None) -> str | None:
    """Why this user may not take this action now (Thai), or None if they may."""
    if not ACTORS[action.actor](user, plan):
        return f"“{action.label}” ทำได้เฉพาะ{ACTOR_TH[action.actor]}"
    if action.decision and last is not None and last.user_id == user.pk:
        return "ผู้ที่เสนอแผนเข้าสู่ขั้นตอนนี้จะพิจารณาอนุมัติหรือส่งคืนแผนของตนเองไม่ได้"
    return None


def allowed_actions(user, plan: Plan) -> list[Action]:
    flow = workflow_for(plan)
    if flow is None or not getattr(user, "is_authenticated", False):
        return []
    last = last_transition(plan)
    state = current_state(plan, flow, last=last)
    return [a for a in flow.actions_from(state.code) if why_not(user, plan, a, last) is None]


def perform(plan: Plan, action_code: str, user, *, expected_state: str, meeting_number: str = "",
            meeting_date: date | None = None, resolution: str = "", reason: str = "", document=None) -> Transition:
    """Take one step. Refused (TransitionRefused, recorded) if the user may not, if the step does not
    start from the current state (skipping a step), or if the state is no longer the one the form was
    shown for (a replayed or stale form). Missing details raise ValidationError (Thai, per field)."""
    details = {"meeting_number": meeting_number.strip(), "meeting_date": meeting_date,
               "resolution": resolution.strip(), "reason": reason.strip(), "document": document}
    try:
        return _perform(plan.pk, action_code, user, expected_state, details)
    except TransitionRefused as exc:
        raise refuse(user, f"{action_code}: {exc}", plan=plan, exc_class=TransitionRefused) from None


@transaction.atomic
def _perform(plan_pk: int, action_code: str, user, expected_state: str, details: dict) -> Transition:
    # lock the plan row (only it: PostgreSQL refuses FOR UPDATE across the nullable owner/area joins),
    # so two people taking a step at once are serialised and the second sees the new state
    plan = Plan.objects.select_for_update(of=("self",)).select_related("owner", "area").get(pk=plan_pk)
    flow = workflow_for(plan)
    if flow is None:
        raise TransitionRefused("กรอบระดับชาติไม่มีขั้นตอนอนุมัติในระบบนี้")
    last = last_transition(plan)
    state = current_state(plan, flow, last=last)
    action = flow.action(action_code)
    if action is None:
        raise TransitionRefused(f"ไม่มีขั้นตอน “{action_code}” ในกระบวนการของแผนนี้")
    if expected_state != state.code:
        raise TransitionRefused(f"สถานะของแผนเปลี่ยนไปแล้ว (ขณะนี้: {state.label}) — "
                                "แบบฟอร์มนี้ถูกส่งซ้ำหรือเก่าเกินไป กรุณาเปิดหน้าใหม่")
    if state.code not in action.sources:
        raise TransitionRefused(f"ข้ามขั้นตอนไม่ได้: จากสถานะ “{state.label}” ทำ “{action.label}” ไม่ได้")
    problem = why_not(user, plan, action, last)
    if problem:
        raise TransitionRefused(problem)
    _check_details(plan, action, details, last)
    target = flow.state(action.target)
    return _apply(plan, flow, state, target, action, user, details)


def _check_details(plan: Plan, action: Action, details: dict, last: Transition | None):
    errors = {}
    if action.needs_reason and not details["reason"]:
        errors["reason"] = "กรุณาระบุเหตุผลที่ส่งคืนแผน"
    if action.needs_hearing and not details["reason"]:
        problem = hearing_problem(plan)
        if problem:
            errors["reason"] = problem
    if action.records_meeting:
        if not details["meeting_number"]:
            errors["meeting_number"] = "กรุณาระบุครั้งที่ประชุม (เช่น 3/2566)"
        if not details["meeting_date"]:
            errors["meeting_date"] = "กรุณาระบุวันที่ประชุม (พ.ศ.)"
        else:
            problem = meeting_date_problem(details["meeting_date"], last)
            if problem:
                errors["meeting_date"] = problem
        if not details["resolution"]:
            errors["resolution"] = "กรุณาระบุมติที่ประชุม"
    if errors:
        raise ValidationError(errors)


def meeting_date_problem(meeting_date: date, last: Transition | None) -> str | None:
    """A committee cannot decide before the plan reached it, nor on a day that has not come."""
    today = timezone.localdate()
    if meeting_date > today:
        return f"วันที่ประชุมต้องไม่เกินวันนี้ ({be_date_text(today)})"
    submitted = timezone.localtime(last.at).date() if last is not None else None
    if submitted and meeting_date < submitted:
        return (f"วันที่ประชุม ({be_date_text(meeting_date)}) ต้องไม่ก่อนวันที่เสนอแผนเข้าสู่ขั้นตอนนี้ "
                f"({be_date_text(submitted)})")
    return None


# Plan kinds the law requires to be heard before a committee sees them: provincial plans and 20-year
# goals (Royal Decree on area-based integrated administration 2565), cluster plans, and LAO
# development plans (the community forum, ประชาคมท้องถิ่น, Interior regulation 2548).
HEARING_KINDS = {PlanKind.PROVINCIAL, PlanKind.PROVINCIAL_GOAL, PlanKind.CLUSTER, PlanKind.LAO_LOCAL,
                 PlanKind.LAO_PROVINCE_STRATEGY}


def hearing_problem(plan: Plan) -> str | None:
    """Why the plan may not go to its first committee yet (Thai), or None: a consultation round on this
    edition must have closed (its report is then final). A reason in the step's form records an exception."""
    if plan.kind not in HEARING_KINDS:
        return None
    from oneplan.consultation.models import ConsultationRound, RoundStatus

    if ConsultationRound.objects.filter(plan=plan, status=RoundStatus.CLOSED).exists():
        return None
    return ("แผนประเภทนี้ต้องรับฟังความคิดเห็นของประชาชนก่อนเสนอคณะกรรมการ: ปิดรอบรับฟังความคิดเห็นของฉบับนี้ "
            "(รายงานผลการรับฟังความคิดเห็นจึงจะสมบูรณ์) หรือระบุเหตุผลที่ไม่ได้รับฟังความคิดเห็นในช่องนี้")


def _deciding_committee(plan: Plan, state: State, target: State):
    """The committee a step concerns: the one it goes to, or the one deciding on it now."""
    if target.committee_type and target.committee_type != state.committee_type:
        committee = committee_for(plan, target.committee_type)
        if committee is None:
            raise ValidationError("ไม่พบคณะกรรมการที่จะเสนอแผนนี้ในระบบ (เช่น ก.บ.จ. ของจังหวัด หรือ"
                                  "คณะกรรมการพัฒนาท้องถิ่นของหน่วยงาน) กรุณาแจ้งผู้ดูแลระบบให้เพิ่มก่อน")
        return committee
    return holding_committee(plan) if state.committee_type else None


def _apply(plan, flow: Workflow, state: State, target: State, action: Action, user, details) -> Transition:
    committee = _deciding_committee(plan, state, target)
    transition = Transition.objects.create(
        plan=plan, action=action.code, from_state=state.code, to_state=target.code, from_status=plan.status,
        to_status=target.status, user=user, committee=committee, **details)
    plan.status = target.status
    fields = ["status", "updated_at"]
    if target.status == PlanStatus.IN_FORCE:
        fields += editions.mark_in_force(plan, timezone.localdate())
    plan.save(update_fields=fields)
    if target.status == PlanStatus.IN_FORCE:
        _supersede_previous(plan, user)
    return transition


def _supersede_previous(plan: Plan, user):
    """The edition this one replaces stops being in force the moment this one comes into force."""
    old = plan.supersedes
    if old is None or old.status == PlanStatus.SUPERSEDED:
        return
    flow = workflow_for(old)
    from_state = current_state(old, flow).code if flow else old.status
    Transition.objects.create(plan=old, action="superseded", from_state=from_state, to_state="superseded",
                              from_status=old.status, to_status=PlanStatus.SUPERSEDED, user=user,
                              reason=f"แทนที่โดย {plan.title_th} ({plan.edition_label})")
    old.save(update_fields=[*editions.mark_superseded(old, plan.in_force_from), "updated_at"])


# --- editions ----------------------------------------------------------------------------------

NEW_EDITION_TYPES = (EditionType.REVIEW, EditionType.ADDITION, EditionType.CORRECTION, EditionType.CHANGE)


editions_of = editions.line_of


def _new_key(plan: Plan, edition_type: str, year: int) -> str:
    base = f"{plan.key[:90]}-{edition_type}-{year}"
    key, n = base, 1
    while Plan.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def may_start_edition(user, plan: Plan) -> bool:
    # the status is checked here too: Django lets superusers past every has_perm
    return plan.status == PlanStatus.IN_FORCE and user.has_perm("governance.start_edition", plan)


def edition_refusal(plan: Plan) -> str:
    if plan.status != PlanStatus.IN_FORCE:
        return "เริ่มฉบับใหม่ได้จากฉบับที่ประกาศใช้อยู่เท่านั้น"
    return "เฉพาะผู้จัดทำแผนของหน่วยงานเจ้าของแผนเท่านั้นที่เริ่มฉบับใหม่ได้"


def start_edition(plan: Plan, user, *, edition_type: str, reason: str, edition_year: int | None = None,
                  edition_number: int | None = None) -> Plan:
    """ทบทวน / เพิ่มเติม / แก้ไข / เปลี่ยนแปลง: copy the edition in force into a new draft that supersedes it."""
    if not may_start_edition(user, plan):
        raise refuse(user, f"start_edition: {edition_refusal(plan)}", plan=plan)
    errors = {}
    if edition_type not in NEW_EDITION_TYPES:
        errors["edition_type"] = "ประเภทฉบับ: เลือก ทบทวน เพิ่มเติม แก้ไข หรือ เปลี่ยนแปลง"
    if not (reason or "").strip():
        errors["reason"] = "กรุณาระบุเหตุผลความจำเป็นของการจัดทำฉบับใหม่"
    pending = plan.superseded_by.exclude(status__in=[PlanStatus.IN_FORCE, PlanStatus.SUPERSEDED]).first()
    if pending is not None:
        errors["__all__"] = f"มีฉบับใหม่ที่กำลังจัดทำอยู่แล้ว: {pending.title_th} ({pending.edition_label})"
    if errors:
        raise ValidationError(errors)
    year = edition_year or be_year(timezone.localdate().year)
    number = edition_number or 1 + sum(
        1 for p in editions_of(plan) if p.edition_type == edition_type and p.edition_year == year)
    return _copy_as_edition(plan, user, edition_type, reason.strip(), year, number)


@transaction.atomic
def _copy_as_edition(plan: Plan, user, edition_type: str, reason: str, year: int, number: int) -> Plan:
    data = dump_plan(plan)
    data["plan"].update(key=_new_key(plan, edition_type, year), status=PlanStatus.DRAFT, supersedes=plan.key,
                        source_note="", edition={"type": edition_type, "number": number, "year": year,
                                                 "reason": reason})
    new = load_plan(data, trusted=True).plan  # the system's copy: a draft that supersedes the old key
    _record_lineage(plan, new)
    AuditEntry.objects.create(user=user, action=AuditAction.EDITION, model="plans.plan", object_id=str(new.pk),
                              object_repr=new.title_th[:300], plan=new,
                              message=f"{new.edition_label} จาก {plan.key}: {reason}")
    return new


def _record_lineage(old: Plan, new: Plan):
    """Each copied element remembers the element it was carried over from (same code in the old edition),
    so an element's history can be followed across editions even after it is renumbered later."""
    from oneplan.plans.models import Element

    origin = dict(old.elements.values_list("code", "pk"))
    copied = list(new.elements.only("pk", "code"))
    for element in copied:
        element.carried_from_id = origin.get(element.code)
    Element.objects.bulk_update(copied, ["carried_from"])


def plans_for_secretary_q(committees) -> Q:
    """Plans that may be before any of these committees (narrowed later by the workflow itself)."""
    q = Q(pk__in=[])
    for c in committees:
        if c.committee_type == "knb":
            q |= Q(status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED])
        elif c.parent_id:
            q |= Q(owner_id=c.parent_id)
        elif c.area_id:
            q |= Q(area_id=c.area_id) | Q(area__parent_id=c.area_id) | Q(area__parent__parent_id=c.area_id)
    return q
