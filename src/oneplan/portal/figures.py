"""What a portal page shows, computed from the same functions as the rest of the system (the budget view's
one money rule, the monitoring roll-up, the consultation report), so the portal's figures are the pages'."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from oneplan.consultation.models import ConsultationRound, RoundStatus
from oneplan.consultation.report import participants_by_sector
from oneplan.monitoring import budgetview
from oneplan.monitoring.models import ReportingRound
from oneplan.monitoring.results import plan_rollup, status_of, weighted_mean
from oneplan.plans.editions import in_force_q

# the charts a portal page offers, by name: (title, AreaBudget attribute)
BUDGET_CHARTS = {"master_plan": ("งบประมาณตามแผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "by_master_plan"),
                 "sdg": ("งบประมาณตามเป้าหมายการพัฒนาที่ยั่งยืน (SDGs)", "by_sdg"),
                 "source": ("งบประมาณตามแหล่งงบประมาณ", "by_source")}


@dataclass
class PlanCard:
    plan: object
    approval: list = field(default_factory=list)
    kpi_status: str | None = None
    kpi_round: object = None


def plans_in_force(area=None, owner=None):
    qs = budgetview.area_plans(area) if area is not None else owner.plans.all()
    return list(qs.filter(in_force_q()).select_related("owner", "area").order_by("kind", "title_th"))


def plan_cards(plans) -> list[PlanCard]:
    cards = []
    for plan in plans:
        card = PlanCard(plan, list(plan.transitions.filter(Q(committee__isnull=False) | Q(to_status="in_force"))
                                   .select_related("committee").order_by("at", "id")))
        last = ReportingRound.objects.filter(plan=plan, status="closed").order_by("-end_date").first()
        if last is not None:
            card.kpi_round = last
            card.kpi_status = status_of(weighted_mean(plan_rollup(plan, last)))
        cards.append(card)
    return cards


def budget_groups(area, name: str, owner=None) -> tuple[str, list, Decimal]:
    title, attribute = BUDGET_CHARTS[name]
    budget = budgetview.area_budget(area, owner=owner)
    return title, getattr(budget, attribute), budget.total


def charts(budget) -> list[tuple]:
    """(name, title, groups, ECharts option) of every chart a portal page shows."""
    return [(name, title, getattr(budget, attr), chart_option(title, getattr(budget, attr)))
            for name, (title, attr) in BUDGET_CHARTS.items()]


def chart_option(title: str, groups) -> dict:
    """A horizontal bar chart with the Thai labels and the unit on the axis."""
    groups = [g for g in groups if g.amount]
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        # containLabel keeps the Thai labels inside the chart; long ones are cut with an ellipsis
        "grid": {"left": 8, "right": 48, "top": 40, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "value", "name": "บาท"},
        "yAxis": {"type": "category", "inverse": True,
                  "data": [g.label if len(g.label) <= 40 else g.label[:39] + "…" for g in groups]},
        "series": [{"type": "bar", "data": [float(g.amount) for g in groups]}],
    }


def consultation_record(plans) -> list[dict]:
    rounds = (ConsultationRound.objects.filter(plan__in=plans).exclude(status=RoundStatus.PLANNED)
              .select_related("plan").annotate(
                  n_comments=Count("comments", filter=Q(comments__hidden=False)),
                  n_answered=Count("comments", filter=Q(comments__hidden=False, comments__answer__isnull=False)))
              .order_by("-opens_on"))
    return [{"round": r, "sectors": [s for s in participants_by_sector(r) if s.total]} for r in rounds]
