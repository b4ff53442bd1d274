"""KPI achievement against target and the weighted roll-up through the plan tree.

Achievement of a KPI in a round (0…1, capped: over-achievement on one KPI must not hide another):
- higher is better: progress from the baseline to the target, (value − baseline) / (target − baseline);
  without a usable baseline (none, or not below the target) value / target;
- lower is better: (baseline − value) / (baseline − target); without a usable baseline target / value;
- keep at target: 1 − |value − target| / |target|.
The target is the KPI's target for the round's fiscal year.
Project score: physical progress against the share of the fiscal year elapsed at the end of the round
(a quarter-2 round expects 50 %), capped at 1.
Only approved values count (maker-checker); a value waiting for approval shows but does not score.

Roll-up: an element's score is the weighted mean of the scores of its children that have one
(KPIs and projects are the leaves); weights per element (ElementWeight), default 1 = equal.

Status thresholds (on the score): ≥ 0.90 on track (ตามเป้าหมาย); ≥ 0.70 at risk (เสี่ยง);
below 0.70 off track (ต่ำกว่าเป้าหมาย); no score = no data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oneplan.plans.models import ElementKind, KPIDirection, Plan
from oneplan.plans.tree import Node, build_tree

from .models import ElementWeight, KPIResult, ProjectProgress, ReportingRound

ON_TRACK, AT_RISK = Decimal("0.90"), Decimal("0.70")
STATUS_LABELS = {"on_track": _("On track"), "at_risk": _("At risk"), "off_track": _("Off track"),
                 None: _("No data")}
STATUS_BADGE = {"on_track": "ok", "at_risk": "warn", "off_track": "bad", None: ""}
ZERO, ONE = Decimal(0), Decimal(1)


def _clamp(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def kpi_achievement(direction: str, baseline, target, value) -> Decimal | None:
    if target is None or value is None:
        return None
    if direction == KPIDirection.MAINTAIN:
        if target == 0:
            return ONE if value == 0 else ZERO
        return _clamp(ONE - abs(value - target) / abs(target))
    if direction == KPIDirection.DECREASE:
        if baseline is not None and baseline > target:
            return _clamp((baseline - value) / (baseline - target))
        return ONE if value <= target else _clamp(target / value)
    if baseline is not None and baseline < target:
        return _clamp((value - baseline) / (target - baseline))
    if target == 0:
        return ONE if value >= 0 else ZERO
    return _clamp(value / target)


def project_score(physical_percent, round_: ReportingRound) -> Decimal | None:
    if physical_percent is None:
        return None
    expected = round_.share_of_year * 100
    return _clamp(Decimal(physical_percent) / expected) if expected else None


def status_of(score: Decimal | None) -> str | None:
    if score is None:
        return None
    if score >= ON_TRACK:
        return "on_track"
    return "at_risk" if score >= AT_RISK else "off_track"


class Scored:
    """Status, label, badge and percentage of anything with a `score` (0..1, or None)."""

    @property
    def status(self):
        return status_of(self.score)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def badge(self):
        return STATUS_BADGE[self.status]

    @property
    def percent(self):
        return None if self.score is None else (self.score * 100).quantize(Decimal("0.1"))


@dataclass
class RollupNode(Scored):
    node: Node
    weight: Decimal
    score: Decimal | None = None
    value: object = None            # the KPI result / project progress entry, if any
    target: Decimal | None = None
    children: list[RollupNode] = field(default_factory=list)

    @property
    def element(self):
        return self.node.element


def plan_rollup(plan: Plan, round_: ReportingRound) -> list[RollupNode]:
    """The plan tree with a score and status on every element for one round."""
    results = {r.kpi_id: r for r in KPIResult.objects.filter(round=round_).select_related("submitted_by")}
    progress = {p.project_id: p for p in ProjectProgress.objects.filter(round=round_)}
    weights = dict(ElementWeight.objects.filter(element__plan=plan).values_list("element_id", "weight"))

    def build(node: Node) -> RollupNode:
        e = node.element
        r = RollupNode(node, weights.get(e.pk, ONE), children=[build(c) for c in node.children])
        if e.kind == ElementKind.KPI and hasattr(e, "kpi"):
            r.value = results.get(e.pk)
            r.target = next((t.value for t in e.kpi.targets.all() if t.year == round_.fiscal_year), None)
            if r.value is not None and r.value.is_approved:
                r.score = kpi_achievement(e.kpi.direction, e.kpi.baseline, r.target, r.value.value)
        elif e.kind == ElementKind.PROJECT:
            r.value = progress.get(e.pk)
            if r.value is not None and r.value.is_approved:
                r.score = project_score(r.value.physical_percent, round_)
        else:
            r.score = weighted_mean(r.children)
        return r

    return [build(n) for n in build_tree(plan)]


def weighted_mean(nodes: list[RollupNode]) -> Decimal | None:
    scored = [(n.score, n.weight) for n in nodes if n.score is not None and n.weight > 0]
    total = sum((w for _s, w in scored), ZERO)
    if not total:
        return None
    return sum((s * w for s, w in scored), ZERO) / total


def flatten(nodes: list[RollupNode], depth: int = 0):
    for n in nodes:
        yield n, depth
        yield from flatten(n.children, depth + 1)
