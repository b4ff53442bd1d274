"""The one rule of editions (ฉบับ): which edition of a plan is in force (ฉบับที่ใช้อยู่), which is the
working draft (ฉบับที่กำลังจัดทำ), which are history (ฉบับที่ถูกแทนที่).

Every count, sum, list, search result, link label, traceability page, check, export and chart asks
this module, with the date as input, instead of looking at `Plan.status` itself:

- a plan is *in force on a date* when the workflow announced it on or before that date
  (`in_force_from`) and no newer edition had replaced it yet (`in_force_until`, exclusive);
- the *working draft* of a line of editions is its newest edition not yet announced;
- *history* is every superseded edition.

Totals never count a draft: a plan that was never announced contributes nothing, and a line of
editions contributes through its one edition in force.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from oneplan.core.thai import fiscal_year_bounds

from .models.plans import EDITABLE_STATUSES, Plan, PlanStatus

S = PlanStatus
# What the public sees: the edition in force, the history, and a draft opened for public comment.
PUBLIC_STATUSES = frozenset({S.IN_FORCE, S.SUPERSEDED, S.CONSULTATION})
# Content is frozen once it leaves the editor: a committee decides on a fixed text, and an announced
# edition is changed only by a new edition. Only workflow steps move a frozen plan.
FROZEN_STATUSES = frozenset(set(S.values) - set(EDITABLE_STATUSES))
DONE_STATUSES = frozenset({S.IN_FORCE, S.SUPERSEDED})


def fiscal_year_start(be_year: int) -> date:
    """The first day (1 October) of the Thai fiscal year (ปีงบประมาณ) `be_year`."""
    return fiscal_year_bounds(be_year)[0]


def in_force_q(on: date | None = None, prefix: str = "") -> Q:
    """Plans (or, with `prefix="plan__"`, rows of a plan) in force on `on` (default: today)."""
    if on is None or on >= timezone.localdate():
        return Q(**{f"{prefix}status": S.IN_FORCE})
    return (Q(**{f"{prefix}status__in": DONE_STATUSES, f"{prefix}in_force_from__lte": on})
            & (Q(**{f"{prefix}in_force_until__isnull": True}) | Q(**{f"{prefix}in_force_until__gt": on})))


def in_force(qs=None, on: date | None = None):
    return (qs if qs is not None else Plan.objects.all()).filter(in_force_q(on))


def is_in_force(plan: Plan, on: date | None = None) -> bool:
    if on is None or on >= timezone.localdate():
        return plan.status == S.IN_FORCE
    return (plan.status in DONE_STATUSES and plan.in_force_from is not None and plan.in_force_from <= on
            and (plan.in_force_until is None or on < plan.in_force_until))


def public_q(prefix: str = "") -> Q:
    """Plans anyone may read. Frameworks are public once loaded (only the operator loads them)."""
    return Q(**{f"{prefix}status__in": PUBLIC_STATUSES}) | ~Q(**{f"{prefix}framework": ""})


def is_public(plan: Plan) -> bool:
    return plan.status in PUBLIC_STATUSES or plan.is_framework


def is_frozen(status: str) -> bool:
    return status in FROZEN_STATUSES


def line_of(plan: Plan) -> list[Plan]:
    """Every edition in the plan's line, oldest first: follow `supersedes` back, then forward."""
    root, seen = plan, {plan.pk}
    while root.supersedes_id and root.supersedes_id not in seen:
        root = root.supersedes
        seen.add(root.pk)
    line, frontier = [root], [root]
    while frontier:
        frontier = list(Plan.objects.filter(supersedes__in=frontier).exclude(pk__in=[p.pk for p in line])
                        .order_by("created_at", "pk"))
        line.extend(frontier)
    return line


def successor_in_force(plan: Plan) -> Plan | None:
    """The newer edition that replaced this one (shown as "ถูกแทนที่โดย …"); a draft never counts."""
    if plan.status != S.SUPERSEDED:
        return None
    return plan.superseded_by.filter(status__in=DONE_STATUSES).order_by("-in_force_from", "-pk").first()


def working_draft(plan: Plan) -> Plan | None:
    """The edition being prepared to replace this one, if any (seen only by those who may see drafts)."""
    return plan.superseded_by.exclude(status__in=DONE_STATUSES).order_by("-created_at", "-pk").first()


def edition_in_force(plan: Plan, on: date | None = None) -> Plan | None:
    """The edition of this plan's line in force on the date (the plan itself, an older or a newer one)."""
    return next((p for p in reversed(line_of(plan)) if is_in_force(p, on)), None)


def mark_in_force(plan: Plan, on: date) -> list[str]:
    """Fields set when the workflow announces an edition (the caller saves them)."""
    plan.in_force_from, plan.in_force_until = on, None
    return ["in_force_from", "in_force_until"]


def mark_superseded(plan: Plan, on: date) -> list[str]:
    plan.status = S.SUPERSEDED
    plan.in_force_until = on
    return ["status", "in_force_until"]
