"""Element-level differences between two editions of a plan.

Both editions are read through `plans.interchange.dump_plan` (one serialisation for everything).
Elements are matched by code, then — for those left over — by normalised Thai title, so a renumbered
element is reported as moved rather than as removed and added.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oneplan.core.thai import format_amount, normalise
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import BudgetSource, BudgetStage, Plan

KIND_LABELS = {
    "added": _("Added"), "removed": _("Removed"), "reworded": _("Reworded"), "moved": _("Moved / renumbered"),
    "kpi_targets": _("KPI targets changed"), "budgets": _("Budgets changed"),
}


@dataclass
class Change:
    kind: str
    code: str
    old_title: str = ""
    new_title: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def words(self) -> tuple[list, list]:
        """The two titles as (segment, changed) runs: the changed words of a rewording stand out."""
        if self.kind != "reworded":
            return [(self.old_title, False)], [(self.new_title, False)]
        return word_diff(self.old_title, self.new_title)


def _words(text: str) -> list[str]:
    """Thai words as written (spaces kept), so the runs put back together give the text itself."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text or "", engine="newmm", keep_whitespace=True)


def word_diff(old: str, new: str) -> tuple[list, list]:
    """Word-level difference of two Thai texts: มั่ง→มุ่ง or 2579→2580 marks that word, not the title."""
    from difflib import SequenceMatcher

    a, b = _words(old), _words(new)
    old_runs, new_runs = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            old_runs.append(("".join(a[i1:i2]), changed))
        if j2 > j1:
            new_runs.append(("".join(b[j1:j2]), changed))
    return old_runs, new_runs


def _match(old: list[dict], new: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    new_by_code = {e["code"]: e for e in new}
    pairs, left_old = [], []
    for e in old:
        if e["code"] in new_by_code:
            pairs.append((e, new_by_code.pop(e["code"])))
        else:
            left_old.append(e)
    by_title: dict[str, list[dict]] = {}
    for e in new_by_code.values():
        by_title.setdefault(normalise(e["title_th"]), []).append(e)
    removed = []
    for e in left_old:
        candidates = by_title.get(normalise(e["title_th"]))
        if candidates:
            pairs.append((e, candidates.pop(0)))
        else:
            removed.append(e)
    matched_new = {id(b) for _a, b in pairs}
    added = [e for e in new if id(e) not in matched_new]
    return pairs, removed, added


def _kpi_changes(a: dict, b: dict) -> list[str]:
    ka, kb = a.get("kpi") or {}, b.get("kpi") or {}
    ta, tb = ka.get("targets") or {}, kb.get("targets") or {}
    lines = [f"ปี {y}: {ta.get(y) or '-'} → {tb.get(y) or '-'}" for y in sorted(set(ta) | set(tb))
             if ta.get(y) != tb.get(y)]
    if ka.get("baseline") != kb.get("baseline"):
        lines.insert(0, f"ค่าฐาน: {ka.get('baseline') or '-'} → {kb.get('baseline') or '-'}")
    return lines


def _budget_totals(item: dict) -> dict[tuple, str]:
    return {(b["year"], b["source"], b["stage"]): b["amount"]
            for b in (item.get("project") or {}).get("budgets") or []}


def _budget_changes(a: dict, b: dict) -> list[str]:
    ba, bb = _budget_totals(a), _budget_totals(b)
    sources, stages = dict(BudgetSource.choices), dict(BudgetStage.choices)
    return [f"ปี {key[0]} ({sources.get(key[1], key[1])}, {stages.get(key[2], key[2])}): "
            f"{format_amount(ba.get(key) or 0)} → {format_amount(bb.get(key) or 0)} บาท"
            for key in sorted(set(ba) | set(bb)) if ba.get(key) != bb.get(key)]


def _pair_changes(a: dict, b: dict, parent_map: dict[str, str]) -> list[Change]:
    out = []
    texts = []
    if normalise(a["title_th"]) != normalise(b["title_th"]):
        texts.append(f"ชื่อ: “{a['title_th']}” → “{b['title_th']}”")
    if normalise(a.get("description_th")) != normalise(b.get("description_th")):
        texts.append("คำอธิบายเปลี่ยน")
    if texts:
        out.append(Change("reworded", b["code"], a["title_th"], b["title_th"], texts))
    moved = []
    if a["code"] != b["code"]:
        moved.append(f"รหัส {a['code']} → {b['code']}")
    if parent_map.get(a["parent"], a["parent"]) != b["parent"]:
        moved.append(f"อยู่ใต้ {a['parent'] or '(ระดับบนสุด)'} → {b['parent'] or '(ระดับบนสุด)'}")
    if moved:
        out.append(Change("moved", b["code"], a["title_th"], b["title_th"], moved))
    if kpi := _kpi_changes(a, b):
        out.append(Change("kpi_targets", b["code"], a["title_th"], b["title_th"], kpi))
    if budgets := _budget_changes(a, b):
        out.append(Change("budgets", b["code"], a["title_th"], b["title_th"], budgets))
    return out


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """What changed from `old` to `new`, in the new edition's order (removed elements last)."""
    old_items, new_items = dump_plan(old)["elements"], dump_plan(new)["elements"]
    pairs, removed, added = _match(old_items, new_items)
    parent_map = {a["code"]: b["code"] for a, b in pairs}  # old code → new code, to see real moves
    order = {e["code"]: i for i, e in enumerate(new_items)}
    changes = [Change("added", e["code"], new_title=e["title_th"]) for e in added]
    changes += [Change("budgets", e["code"], new_title=e["title_th"], details=lines)
                for e in added if (lines := _budget_changes({}, e))]
    for a, b in pairs:
        changes += _pair_changes(a, b, parent_map)
    changes.sort(key=lambda c: order.get(c.code, 0))
    changes += [Change("removed", e["code"], old_title=e["title_th"]) for e in removed]
    changes += [Change("budgets", e["code"], old_title=e["title_th"], details=lines)
                for e in removed if (lines := _budget_changes(e, {}))]
    if lines := _plan_budget_lines(old_items, new_items):
        changes.append(Change("budgets", "รวมทั้งแผน", old.title_th, new.title_th, lines))
    return changes


def plan_budget_by_year(items: list[dict], stage: str = BudgetStage.PLAN) -> dict[int, Decimal]:
    """Planned budget of every project of a dumped plan, per fiscal year."""
    out: dict[int, Decimal] = {}
    for item in items:
        for b in (item.get("project") or {}).get("budgets") or []:
            if b["stage"] == stage:
                out[int(b["year"])] = out.get(int(b["year"]), Decimal(0)) + Decimal(b["amount"])
    return out


def _plan_budget_lines(old_items: list[dict], new_items: list[dict]) -> list[str]:
    """Per year and in total, the planned budget of the whole plan before and after (projects added,
    removed or changed all count)."""
    old, new = plan_budget_by_year(old_items), plan_budget_by_year(new_items)
    lines = [f"ปี {y}: {format_amount(old.get(y, 0))} → {format_amount(new.get(y, 0))} บาท "
             f"({_signed(new.get(y, Decimal(0)) - old.get(y, Decimal(0)))})"
             for y in sorted(set(old) | set(new)) if old.get(y, Decimal(0)) != new.get(y, Decimal(0))]
    if lines:
        total_old, total_new = sum(old.values(), Decimal(0)), sum(new.values(), Decimal(0))
        lines.append(f"รวมทุกปี: {format_amount(total_old)} → {format_amount(total_new)} บาท "
                     f"({_signed(total_new - total_old)})")
    return lines


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "−" if amount < 0 else "") + format_amount(abs(amount))


def summary(changes: list[Change]) -> dict[str, int]:
    counts = dict.fromkeys(KIND_LABELS, 0)
    for c in changes:
        counts[c.kind] += 1
    return counts
