"""The guidance in force for a plan kind and a workflow state or element kind, its deadline from the
planning calendar (governance.CalendarDeadline), and the loader of the reference guidance file."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oneplan.core.thai import fiscal_year

from .models import GuidanceStatus, GuidanceTopic, GuidanceVersion, KPIDefinition

DATA = Path(__file__).parent / "data"


def in_force(plan_kind: str, topic_type: str, topic: str, on: date | None = None) -> GuidanceVersion | None:
    """The published version with the latest effective date on or before `on` (default today); the
    plan kind's own guidance first, else the guidance written for every plan kind."""
    on = on or timezone.localdate()
    rows = (GuidanceVersion.objects.filter(Q(plan_kind=plan_kind) | Q(plan_kind=""), topic_type=topic_type,
                                           topic=topic, status=GuidanceStatus.PUBLISHED, effective_from__lte=on)
            .order_by("-effective_from", "-number"))
    found = list(rows)
    return next((g for g in found if g.plan_kind == plan_kind), None) or next(iter(found), None)


def next_number(plan_kind: str, topic_type: str, topic: str) -> int:
    last = (GuidanceVersion.objects.filter(plan_kind=plan_kind, topic_type=topic_type, topic=topic)
            .order_by("-number").values_list("number", flat=True).first())
    return (last or 0) + 1


def deadline_for(plan_kind: str, step: str, today: date | None = None):
    """The next calendar deadline of a step for this plan kind (this fiscal year or later)."""
    from oneplan.governance.models import CalendarDeadline

    today = today or timezone.localdate()
    return (CalendarDeadline.objects.filter(plan_kind=plan_kind, step=step, fiscal_year__gte=fiscal_year(today),
                                            due_date__gte=today).order_by("due_date").first())


@dataclass
class Shown:
    """What a page shows beside the work: the guidance, the step's deadline and days left."""
    guidance: GuidanceVersion | None
    deadline: object = None
    days_left: int | None = None


def for_plan(plan, topic_type: str, topic: str) -> Shown:
    from oneplan.governance.workflow import current_state, workflow_for

    shown = Shown(in_force(plan.kind, topic_type, topic))
    flow = workflow_for(plan)
    step = topic if topic_type == GuidanceTopic.STEP else (current_state(plan, flow).code if flow else "")
    shown.deadline = deadline_for(plan.kind, step) if step else None
    if shown.deadline is not None:
        shown.days_left = (shown.deadline.due_date - timezone.localdate()).days
    return shown


@transaction.atomic
def load_guidance(path: Path | None = None) -> int:
    """Reference guidance (data/guidance.json): rows are matched by (plan kind, topic, number), so a
    reload updates them and versions written by stewards in the app are kept."""
    items = json.loads((path or DATA / "guidance.json").read_text("utf-8"))
    for item in items:
        key = {k: item.get(k, "") for k in ("plan_kind", "topic_type", "topic")}
        GuidanceVersion.objects.update_or_create(
            **key, number=item["number"],
            defaults={"title": item["title"], "rule_reference": item["rule_reference"],
                      "explanation": item["explanation"], "checklist": "\n".join(item.get("checklist", [])),
                      "templates": "\n".join(f"{t['title']} | {t['url']}" for t in item.get("templates", [])),
                      "status": GuidanceStatus.PUBLISHED, "effective_from": date.fromisoformat(item["effective_from"])})
    return len(items)


@transaction.atomic
def load_kpi_library(path: Path | None = None) -> int:
    items = json.loads((path or DATA / "kpi_library.json").read_text("utf-8"))
    for item in items:
        KPIDefinition.objects.update_or_create(name=item["name"], defaults={
            k: item.get(k, "") for k in ("formula", "unit", "data_source", "direction", "frequency", "note")})
    return len(items)


def load_reference() -> dict:
    return {"guidance": load_guidance(), "kpi_library": load_kpi_library()}
