"""What each event means for whom (the texts people read), built on services.notify."""
from __future__ import annotations

from django.urls import reverse

from oneplan.plans.models import Link, PlanStatus

from .models import CommentFollow, Kind
from .services import members, notify_many

PLANNERS = ("editor", "approver")


def transition_recorded(step) -> int:
    """Sent to a committee: its secretaries hear. Returned: the owner's planners hear, with the reason."""
    from oneplan.governance.workflow import workflow_for

    plan = step.plan
    sent = 0
    flow = workflow_for(plan)
    state = flow.state(step.to_state) if flow is not None and flow.has_state(step.to_state) else None
    if state is not None and state.committee_type and step.committee_id:
        sent += notify_many(members([step.committee_id], ("secretary",)), Kind.COMMITTEE_WAITING,
                            f"แผนรอการพิจารณาของ{step.committee.name_th}: {plan.title_th[:150]}",
                            key=f"waiting:{step.pk}", url=plan.get_absolute_url())
    if step.to_status == PlanStatus.RETURNED and plan.owner_id:
        sent += notify_many(members([plan.owner_id], PLANNERS), Kind.RETURNED,
                            f"แผนถูกส่งคืนเพื่อแก้ไข: {plan.title_th[:150]}", key=f"returned:{step.pk}",
                            body=f"เหตุผล: {step.reason}", url=plan.get_absolute_url())
    return sent


def comment_received(comment) -> int:
    """A new hearing comment: the planners of the plan answer it (a hidden one waits for moderation)."""
    plan = comment.round.plan
    if comment.hidden or not plan.owner_id:
        return 0
    return notify_many(members([plan.owner_id], ("editor",)), Kind.COMMENT,
                       f"ความคิดเห็นใหม่รอการตอบ: {comment.round.title[:120]}", key=f"comment:{comment.pk}",
                       body=comment.text[:300], url=reverse("consultation:answer", args=[comment.pk]))


def comment_answered(answer) -> int:
    """Everyone who follows the comment (and the staff member who entered it) hears of the answer."""
    comment = answer.comment
    users = [f.user for f in CommentFollow.objects.filter(comment=comment).select_related("user")]
    if comment.entered_by_id:
        users.append(comment.entered_by)
    return notify_many(users, Kind.ANSWER, f"มีคำตอบต่อความคิดเห็น: {comment.text[:100]}",
                       key=f"answer:{answer.pk}", body=f"{answer.get_outcome_display()} {answer.text[:300]}",
                       url=reverse("consultation:round", args=[comment.round_id]))


def framework_edition_loaded(new) -> int:
    """A newer framework edition: owners of plans still linked to the old edition are told to re-map."""
    sources = (Link.objects.filter(target__plan_id=new.supersedes_id, source__plan__framework="")
               .exclude(source__plan__status=PlanStatus.SUPERSEDED)
               .values_list("source__plan_id", "source__plan__owner_id", "source__plan__title_th").distinct())
    sent = 0
    for plan_id, owner_id, title in sources:
        if owner_id is None:
            continue
        sent += notify_many(members([owner_id], ("editor",)), Kind.FRAMEWORK_EDITION,
                            f"{new.title_th[:120]} ฉบับใหม่แทนฉบับที่แผน “{title[:80]}” เชื่อมโยงอยู่",
                            key=f"framework:{new.pk}:{plan_id}", url=reverse("linkage:remap", args=[plan_id]))
    return sent
