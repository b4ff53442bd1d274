"""The linkage header of a ผ.02 table, read into links: each line names an element of a higher plan
(ยุทธศาสตร์ชาติ → แผนแม่บท → แผนพัฒนาฯ → ยุทธศาสตร์จังหวัด → ยุทธศาสตร์ อปท.ในเขตจังหวัด) or a level
of the plan being imported (ยุทธศาสตร์ → กลยุทธ์/แนวทาง → แผนงาน).

Names resolve by number ("ยุทธศาสตร์ที่ 2", "ประเด็นที่ 07", "หมุดหมายที่ 8") or by normalised title."""
from __future__ import annotations

import re
from dataclasses import dataclass

from oneplan.core.thai import normalise
from oneplan.plans.graph import upward_chain
from oneplan.plans.models import Element, Plan, PlanStatus

_PREFIX = r"^(?:[ก-ฮ]\s?\.\s*|\(?\d+(?:\.\d+)*[.)]?\s*)?"
# Checked in this order: the specific "ยุทธศาสตร์…" forms before the plan's own ยุทธศาสตร์.
LINE_KINDS = [
    ("national-strategy", re.compile(_PREFIX + r"ยุทธศาสตร์ชาติ")),
    ("master-plans", re.compile(_PREFIX + r"แผนแม่บท")),
    ("nesdp", re.compile(_PREFIX + r"แผนพัฒนา(?:เศรษฐกิจ|ฯ)")),
    ("lao_province_strategy", re.compile(
        _PREFIX + r"ยุทธศาสตร์(?:การพัฒนา)?\s*(?:ของ)?\s*(?:อปท|องค์กรปกครองส่วนท้องถิ่น)")),
    ("provincial", re.compile(_PREFIX + r"(?:ยุทธศาสตร์|ประเด็นยุทธศาสตร์)(?:การพัฒนา)?\s*(?:ของ)?\s*จังหวัด")),
    ("issue", re.compile(_PREFIX + r"ยุทธศาสตร์")),
    ("strategy", re.compile(_PREFIX + r"(?:กลยุทธ์|แนวทาง)")),
    ("programme", re.compile(_PREFIX + r"แผนงาน")),
]
# Words that only label the line, removed before matching the name.
_LABELS = re.compile(
    r"(ยุทธศาสตร์ชาติ(?:\s*\d+\s*ปี)?|แผนแม่บทภายใต้ยุทธศาสตร์ชาติ|แผนแม่บท|แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ|"
    r"แผนพัฒนาฯ|ฉบับที่\s*\d+|\(?พ\.ศ\.\s*\d{4}\s*[-–]\s*\d{4}\)?|"
    r"ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด\S*|ยุทธศาสตร์การพัฒนาของ\s*อปท\.?\s*ในเขตจังหวัด\S*|"
    r"ยุทธศาสตร์(?:การพัฒนา)?จังหวัด\S*|ประเด็นยุทธศาสตร์|ประเด็นที่|ยุทธศาสตร์ที่|หมุดหมายที่|หมุดหมาย|ที่(?=\s*\d))")
_NUMBER = re.compile(r"(?:ที่|ประเด็น|หมุดหมาย|^|\s)\s*(\d+(?:\.\d+)*)(?=[\s.:)]|$)")

# LAO budget classification (แผนงาน): the number is used in programme codes ("1.1-P09").
PROGRAMMES = ["บริหารงานทั่วไป", "รักษาความสงบภายใน", "การศึกษา", "สาธารณสุข", "สังคมสงเคราะห์", "เคหะและชุมชน",
              "สร้างความเข้มแข็งของชุมชน", "การศาสนาวัฒนธรรมและนันทนาการ", "อุตสาหกรรมและการโยธา", "การเกษตร",
              "การพาณิชย์", "งบกลาง"]

TARGET_LABELS = {"national-strategy": "ยุทธศาสตร์ชาติ", "master-plans": "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
                 "nesdp": "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", "provincial": "แผนพัฒนาจังหวัด",
                 "lao_province_strategy": "ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัด"}


@dataclass
class Line:
    kind: str           # a key of LINE_KINDS
    number: str         # "2", "07", "1.1" or ""
    name: str           # the name as written, labels removed


def classify(text: str) -> Line | None:
    norm = normalise(text)
    for kind, pattern in LINE_KINDS:
        match = pattern.match(norm)
        if match:
            return Line(kind, _number(norm, kind), _name(text, kind))
    return None


def _number(norm: str, kind: str) -> str:
    rest = re.sub(r"ฉบับที่\s*\d+|\d+\s*ปี|พ\.ศ\.\s*\d{4}\s*[-–]\s*\d{4}|\d{4}\s*[-–]\s*\d{4}", " ", norm)
    match = _NUMBER.search(rest)
    return match.group(1) if match else ""


def _name(text: str, kind: str) -> str:
    """The name as written, without the label words and numbering ('1.1 กลยุทธ์/แนวทาง ก่อสร้างถนน' →
    'ก่อสร้างถนน'); for programmes the whole 'แผนงาน…' name is kept."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = re.sub(r"^(?:[ก-ฮ]\s?\.\s*|\(?[\d๐-๙]+(?:\.[\d๐-๙]+)*[.)]?\s+)", "", text)
    if kind == "programme":
        return text
    if kind in ("issue", "strategy"):
        text = re.sub(r"^(?:ยุทธศาสตร์|กลยุทธ์\s*/?\s*(?:แนวทาง(?:การพัฒนา)?)?|แนวทาง(?:การพัฒนา)?)", "", text)
        text = re.sub(r"^\s*(?:ที่)?\s*[\d๐-๙]+(?:\.[\d๐-๙]+)*\s*", "", text)
        return text.strip(" :.-–")
    text = _LABELS.sub(" ", normalise(text))
    text = re.sub(r"^[\s\d.:()\-–ฯ]+", "", text)
    return re.sub(r"\s+", " ", text).strip(" :.-–")


def programme_number(name: str) -> int | None:
    norm = normalise(name).replace("แผนงาน", "").replace(" ", "")
    for i, prog in enumerate(PROGRAMMES, start=1):
        if prog.replace(" ", "") in norm or (norm and norm in prog):
            return i
    return None


class Resolver:
    """Finds the higher-plan element a linkage line names, for a plan of an owner in a province."""

    def __init__(self, province=None, year: int | None = None):
        self.province, self.year = province, year
        self._plans: dict[str, list[Plan]] = {}

    def plans_for(self, target: str) -> list[Plan]:
        if target not in self._plans:
            if target in ("national-strategy", "master-plans"):
                qs = Plan.objects.filter(framework=target)
            elif target == "nesdp":
                qs = Plan.objects.filter(kind="nesdp")
            else:
                qs = Plan.objects.filter(kind=target)
                if self.province is not None:
                    qs = qs.filter(area=self.province)
            self._plans[target] = sorted(qs, key=self._preference)
        return self._plans[target]

    def _preference(self, plan: Plan):
        covers = self.year is not None and plan.start_year <= self.year <= plan.end_year
        return (not covers, plan.status != PlanStatus.IN_FORCE, -plan.start_year)

    def resolve(self, line: Line) -> tuple[Element | None, str]:
        """(element, "") or (None, Thai reason)."""
        plans = self.plans_for(line.kind)
        label = TARGET_LABELS[line.kind]
        if not plans:
            return None, f"ไม่พบ{label}ในระบบที่จะเชื่อมโยง"
        for plan in plans:
            found = self._by_number(plan, line.number) or self._by_name(plan, line.name)
            if found:
                return found, ""
        what = f"ที่ {line.number}" if line.number else f"“{line.name}”"
        return None, f"ไม่พบ{label} {what} (ตรวจชื่อหรือเลขให้ตรงกับ{plans[0].title_th})"

    @staticmethod
    def _by_number(plan: Plan, number: str) -> Element | None:
        if not number:
            return None
        codes = {number, number.zfill(2), number.lstrip("0") or "0"}
        return plan.elements.filter(code__in=codes, parent__isnull=True).first() or \
            plan.elements.filter(code__in=codes).first()

    @staticmethod
    def _by_name(plan: Plan, name: str) -> Element | None:
        wanted = normalise(name)
        if len(wanted) < 4:
            return None
        exact = plan.elements.filter(title_normalised=wanted).first()
        if exact:
            return exact
        for el in plan.elements.exclude(kind__in=["vision", "mission", "kpi", "project"]).only(
                "id", "code", "title_normalised", "plan_id"):
            title = el.title_normalised
            if len(title) >= 6 and (title in wanted or wanted in title):
                return el
        return None


def drop_reached(refs: list[dict], existing: list[dict] = ()) -> list[dict]:
    """The refs ({"plan", "code"}) not reached upward from another ref of the list or from the
    element's `existing` links: a linkage header that writes the whole chain out (ก. ยุทธศาสตร์ชาติ
    above ข. แผนแม่บท 07, which serves it) names the strategy because master plan 07 leads there,
    not as a link of its own."""
    elements = {(r["plan"], r["code"]): Element.objects.filter(plan__key=r["plan"], code=r["code"]).first()
                for r in [*refs, *existing]}
    reached: set[int] = set()

    def walk(nodes):
        for node in nodes:
            reached.add(node.element.pk)
            walk(node.parents)

    for element in filter(None, elements.values()):
        walk(upward_chain(element))
    return [r for r in refs if elements[(r["plan"], r["code"])] is None
            or elements[(r["plan"], r["code"])].pk not in reached]
