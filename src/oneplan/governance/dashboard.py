"""“What is waiting for me”: the plans whose next step this user may take, with the calendar's deadline."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from oneplan.core.thai import fiscal_year
from oneplan.organisations.models import Membership
from oneplan.plans.models import Plan, PlanStatus

from .models import CalendarDeadline
from .services import allowed_actions, plans_for_secretary_q
from .workflow import Action, State, current_state, workflow_for

FINISHED = [PlanStatus.IN_FORCE, PlanStatus.SUPERSEDED]


@dataclass
class Waiting:
    plan: Plan
    state: State
    actions: list[Action]
    deadline: CalendarDeadline | None
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0


def _candidates(user):
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    owner_orgs = [m.organisation_id for m in memberships if m.role in ("editor", "approver")]
    committees = [m.organisation for m in memberships if m.role == "secretary"]
    q = Q(owner_id__in=owner_orgs) | plans_for_secretary_q(committees)
    return (Plan.objects.filter(q, framework="").exclude(status__in=FINISHED)
            .select_related("owner", "area").order_by("title_th"))


def _deadline_for(deadlines: dict, plan: Plan, state: State) -> CalendarDeadline | None:
    return next(iter(deadlines.get((plan.kind, state.code), [])), None)


def waiting_for(user, today: date | None = None) -> list[Waiting]:
    today = today or timezone.localdate()
    deadlines: dict[tuple[str, str], list[CalendarDeadline]] = {}
    for d in CalendarDeadline.objects.filter(fiscal_year__gte=fiscal_year(today)).order_by("fiscal_year",
                                                                                          "due_date"):
        deadlines.setdefault((d.plan_kind, d.step), []).append(d)
    rows = []
    for plan in _candidates(user):
        actions = allowed_actions(user, plan)
        if not actions:
            continue
        state = current_state(plan, workflow_for(plan))
        deadline = _deadline_for(deadlines, plan, state)
        days = (deadline.due_date - today).days if deadline else None
        rows.append(Waiting(plan, state, actions, deadline, days))
    # the most urgent first; plans without a deadline after those with one
    return sorted(rows, key=lambda w: (w.days_left is None, w.days_left or 0, w.plan.title_th))


def my_plans(user):
    """The plans of the organisations this user works for (any role), newest edition first: their state at a
    glance, drafts included (the user's roles let them see those)."""
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    return (Plan.objects.filter(owner_id__in=orgs, framework="").select_related("owner")
            .order_by("owner__name_th", "-start_year", "-edition_number", "title_th"))


@dataclass
class ToAnswer:
    round: object
    unanswered: int


def comments_to_answer(user) -> list[ToAnswer]:
    """Consultation rounds of plans this user answers for (the owner's editors) with public comments still
    without an answer: the answer is what the law and the public wait for."""
    from django.db.models import Count

    from oneplan.consultation.models import ConsultationRound

    orgs = Membership.objects.filter(user=user, role="editor").values("organisation_id")
    rounds = (ConsultationRound.objects.filter(plan__owner_id__in=orgs).select_related("plan")
              .annotate(unanswered=Count("comments", filter=Q(comments__hidden=False, comments__answer__isnull=True)))
              .filter(unanswered__gt=0).order_by("-opens_on"))
    return [ToAnswer(r, r.unanswered) for r in rounds]
