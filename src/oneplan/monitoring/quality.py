"""Quality of indicators (คุณภาพตัวชี้วัด): a checklist for every KPI and for the goals they measure.

Checks on one KPI: missing unit, baseline, baseline year or data source; no target; a target series
that moves against the direction (e.g. a "higher is better" KPI whose target drops, or starts below
its baseline); targets for years outside the plan period; vague wording ("ระดับความสำเร็จ" /
"ร้อยละความสำเร็จ") with no scale written in the definition.
Checks on goals (ultimate goal, strategic issue, objective): no KPI at all in the goal's subtree, or
an outcome goal measured only by output-type KPIs (counts of projects, times, participants …).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from oneplan.core.thai import normalise
from oneplan.plans.models import KPI, Element, ElementKind, KPIDirection, Plan

GOAL_KINDS = {ElementKind.ULTIMATE_GOAL, ElementKind.ISSUE, ElementKind.OBJECTIVE}

PROBLEMS = {
    "missing_unit": _("No unit"),
    "missing_baseline": _("No baseline"),
    "missing_baseline_year": _("No baseline year"),
    "missing_source": _("No data source"),
    "no_targets": _("No target"),
    "against_direction": _("Target moves against the direction"),
    "outside_period": _("Target outside the plan period"),
    "vague": _("Vague wording without a scale"),
    "output_only": _("Outcome goal measured only by outputs"),
    "goal_without_kpi": _("Goal without a KPI"),
}

VAGUE = ("ระดับความสำเร็จ", "ร้อยละความสำเร็จ")
# A scale written out in the definition: "ระดับ 1 … ระดับ 5", "5 ระดับ", "1 = …", "เกณฑ์การให้คะแนน".
SCALE = re.compile(r"ระดับ(ที่)?\s*[1-5]|[1-5]\s*ระดับ|(^|\s)[1-5]\s*[=:)]|เกณฑ์|คะแนน|ขั้นตอนที่\s*[1-5]")
# Indicators that count what the organisation did (outputs), not what changed for people (outcomes).
OUTPUT_WORDS = ("จำนวนโครงการ", "จำนวนครั้ง", "จำนวนผู้เข้าร่วม", "จำนวนผู้เข้ารับการอบรม", "จำนวนกิจกรรม",
                "จำนวนหน่วยงานที่เข้าร่วม", "จำนวนการจัด", "ร้อยละของโครงการ", "ร้อยละการเบิกจ่าย",
                "จำนวนผู้ผ่านการอบรม", "จำนวนเครือข่าย")


@dataclass
class Finding:
    code: str
    message: str

    @property
    def label(self):
        return PROBLEMS[self.code]


@dataclass
class KPICheck:
    kpi: KPI
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def is_output_kpi(title: str) -> bool:
    text = normalise(title).replace(" ", "")
    return any(word in text for word in OUTPUT_WORDS)


def check_kpi(kpi: KPI, plan: Plan, targets=None) -> KPICheck:
    """The checklist for one KPI; `targets` may be given (prefetched) as [(year, value)]."""
    title = kpi.element.title_th
    targets = sorted(targets if targets is not None else kpi.targets.values_list("year", "value"))
    check = KPICheck(kpi)
    add = check.findings.append
    if not kpi.unit.strip():
        add(Finding("missing_unit", "ยังไม่ระบุหน่วยนับ"))
    if kpi.baseline is None:
        add(Finding("missing_baseline", "ยังไม่ระบุค่าฐาน (baseline)"))
    if kpi.baseline_year is None:
        add(Finding("missing_baseline_year", "ยังไม่ระบุปีของค่าฐาน"))
    if not kpi.data_source.strip():
        add(Finding("missing_source", "ยังไม่ระบุแหล่งข้อมูล"))
    if not targets:
        add(Finding("no_targets", "ยังไม่กำหนดค่าเป้าหมายรายปี"))
    outside = [y for y, _v in targets if not plan.start_year <= y <= plan.end_year]
    if outside:
        add(Finding("outside_period", f"มีค่าเป้าหมายปี {', '.join(map(str, outside))} อยู่นอกช่วงแผน "
                                      f"({plan.start_year}–{plan.end_year})"))
    against = _against_direction(kpi, targets)
    if against:
        add(Finding("against_direction", against))
    text = normalise(title).replace(" ", "")
    if any(v in text for v in VAGUE) and not SCALE.search(normalise(kpi.definition)):
        add(Finding("vague", "ใช้คำว่า “ระดับความสำเร็จ/ร้อยละความสำเร็จ” แต่นิยามยังไม่ระบุเกณฑ์หรือระดับการวัด"))
    return check


def _against_direction(kpi: KPI, targets) -> str:
    if kpi.direction == KPIDirection.MAINTAIN:
        return ""
    worse = (lambda a, b: b < a) if kpi.direction == KPIDirection.INCREASE else (lambda a, b: b > a)
    word = "ต่ำกว่า" if kpi.direction == KPIDirection.INCREASE else "สูงกว่า"
    series = [("ค่าฐาน", kpi.baseline)] if kpi.baseline is not None else []
    series += [(f"เป้าหมายปี {y}", v) for y, v in targets]
    for (label0, v0), (label1, v1) in zip(series, series[1:], strict=False):
        if worse(v0, v1):
            return (f"{label1} ({_num(v1)}) {word}{label0} ({_num(v0)}) "
                    f"ทั้งที่ทิศทางคือ “{kpi.get_direction_display()}”")
    return ""


def _num(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


@dataclass
class GoalCheck:
    element: Element
    kpis: list[Element]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class PlanQuality:
    plan: Plan
    kpis: list[KPICheck]
    goals: list[GoalCheck]

    @property
    def counts(self) -> list[tuple[str, object, int]]:
        """(code, label, number of findings) for every problem type, in a fixed order."""
        found = Counter(f.code for c in [*self.kpis, *self.goals] for f in c.findings)
        return [(code, label, found.get(code, 0)) for code, label in PROBLEMS.items()]

    @property
    def total(self) -> int:
        return sum(n for _c, _l, n in self.counts)


def plan_quality(plan: Plan) -> PlanQuality:
    """Every KPI's checklist and every goal's check for one plan, in three queries."""
    elements = list(plan.elements.only("id", "plan_id", "parent_id", "kind", "code", "title_th").order_by("order", "id"))
    kpis = {k.pk: k for k in KPI.objects.filter(element__plan=plan).select_related("element")}
    targets = defaultdict(list)
    for kpi_id, year, value in plan.elements.filter(kind=ElementKind.KPI).values_list(
            "kpi__targets__kpi_id", "kpi__targets__year", "kpi__targets__value"):
        if kpi_id is not None:
            targets[kpi_id].append((year, value))
    checks = [check_kpi(kpis[e.pk], plan, targets[e.pk]) for e in elements if e.pk in kpis]
    return PlanQuality(plan, checks, _goal_checks(elements))


def _goal_checks(elements: list[Element]) -> list[GoalCheck]:
    children = defaultdict(list)
    for e in elements:
        children[e.parent_id].append(e)

    def kpis_under(e):
        # the KPIs measuring a goal: in its subtree, not below a lower goal that has its own KPIs
        found = []
        for c in children[e.pk]:
            if c.kind == ElementKind.KPI:
                found.append(c)
            elif c.kind not in (ElementKind.PROJECT,):
                found.extend(kpis_under(c))
        return found

    goals = []
    for e in elements:
        if e.kind not in GOAL_KINDS:
            continue
        direct = [c for c in children[e.pk] if c.kind == ElementKind.KPI]
        measured = direct or kpis_under(e)
        check = GoalCheck(e, measured)
        if not measured:
            check.findings.append(Finding("goal_without_kpi", "ไม่มีตัวชี้วัดวัดผลเป้าหมายนี้"))
        elif direct and all(is_output_kpi(k.title_th) for k in direct):
            check.findings.append(Finding("output_only", "วัดผลด้วยตัวชี้วัดเชิงผลผลิตเท่านั้น (เช่น จำนวนโครงการ "
                                                         "จำนวนครั้ง จำนวนผู้เข้าร่วม) ควรมีตัวชี้วัดเชิงผลลัพธ์"))
        goals.append(check)
    return goals


def goal_check(element: Element) -> GoalCheck | None:
    if element.kind not in GOAL_KINDS:
        return None
    elements = list(element.plan.elements.only("id", "plan_id", "parent_id", "kind", "code", "title_th"))
    return next(g for g in _goal_checks(elements) if g.element.pk == element.pk)
