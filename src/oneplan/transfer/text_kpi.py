"""What a plan's wording says beyond its headings: the target inside a KPI ("รายได้เพิ่มขึ้นร้อยละ 5 ต่อปี"
→ 5, ร้อยละ, increase, every year) and the province a text is about ("จังหวัดสงขลา", "จ.ภูเก็ต").
Pure functions: no database, Thai digits accepted."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from oneplan.core.thai import normalise, to_arabic_digits

# A number as plans write it: 5, 4.5, 5,000 — not the 2.5 of "PM2.5" nor a part of a code ("O-NET2").
_NUMBER = r"(?<![A-Za-z\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# Counting words a target is given in; longest first so "ลูกบาศก์เมตร" is not read as "เมตร".
UNITS = sorted(["กิโลเมตร", "เมตร", "ลูกบาศก์เมตร", "ล้านบาท", "บาท", "ไร่", "แห่ง", "คน", "ราย", "ครั้ง",
                "ชุมชน", "หมู่บ้าน", "ครัวเรือน", "กลุ่ม", "โครงการ", "เรื่อง", "คะแนน", "วัน", "จุด", "ตัน",
                "ผลิตภัณฑ์", "ชนิด", "ตำบล", "อำเภอ", "หน่วย", "ลำดับ", "ระดับ", "เครือข่าย", "องค์กร",
                "หลัง", "สาย", "ต้น", "ชั่วโมง", "แปลง", "ศูนย์", "เส้นทาง", "ผลงาน", "หลักสูตร", "ด่าน"],
               key=len, reverse=True)
_PERCENT_BEFORE = re.compile(r"(?:ร้อยละ)\s*" + _NUMBER)
_PERCENT_AFTER = re.compile(_NUMBER + r"\s*(?:%|เปอร์เซ็นต์|เปอร์เซ็นท์)")
_COUNT = re.compile(_NUMBER + r"\s*(" + "|".join(UNITS) + ")")
_COMPARED = re.compile(r"(?:ไม่น้อยกว่า|ไม่ต่ำกว่า|ไม่เกิน|ไม่มากกว่า|อย่างน้อย|เพิ่มขึ้น|ลดลง|เหลือ|เท่ากับ|ปีละ)\s*"
                       + _NUMBER)
# A year is a 25xx after ปี / พ.ศ., or either end of a range "2566 – 2570"; a bare 2500 may be a target.
_YEAR = re.compile(r"(?:(?:ปี(?:งบประมาณ)?\s*(?:พ\.\s?ศ\.)?|พ\.\s?ศ\.)\s*25\d\d|25\d\d\s*[-–]\s*25\d\d)"
                   r"(?:\s*[-–]\s*25\d\d)?")
_BY_YEAR = re.compile(r"(?:ภายใน(?:ปี)?|ในปี|ปี)\s*(?:งบประมาณ\s*)?(?:พ\.\s?ศ\.\s*)?(25\d\d)")
_PER_YEAR = re.compile(r"ต่อปี|ปีละ|ทุกปี|รายปี|เฉลี่ยปี")
# Lower is better: the KPI counts something to bring down, or caps it. "ไม่น้อยกว่า/ไม่ต่ำกว่า" are
# floors (higher is better) and are taken out before "น้อยกว่า/ต่ำกว่า" are looked for.
_FLOORS = re.compile(r"ไม่น้อยกว่า|ไม่ต่ำกว่า|อย่างน้อย")
_DECREASE = re.compile(r"ลดลง|ลดการ|ลด(?=\S*ร้อยละ)|ไม่เกิน|ไม่มากกว่า|น้อยกว่า|ต่ำกว่า|(?<!ช่วย)เหลือ")
_MAINTAIN = re.compile(r"คงที่|คงระดับ|รักษาระดับ")


@dataclass
class KpiTarget:
    """A KPI's target as its wording (or its table row) gives it. `value` is the single figure the wording
    names; `by_year` the targets of a table with a column per year."""

    value: Decimal | None = None
    unit: str = ""
    direction: str = "increase"
    year: int | None = None        # "ภายในปี 2570"
    per_year: bool = False         # "ต่อปี", "ปีละ": the same target every year of the plan
    by_year: dict[int, Decimal] = field(default_factory=dict)

    def targets(self, start: int | None, end: int | None) -> dict[int, Decimal]:
        """Targets per Buddhist-era year: a table's columns as they are; a figure "ต่อปี" for every year of
        the plan; a figure "ภายในปี N" for N; otherwise a figure is what the plan reaches by its last year."""
        if self.by_year:
            return dict(self.by_year)
        if self.value is None:
            return {}
        if self.year:
            return {self.year: self.value}
        if self.per_year and start and end and start <= end:
            return {year: self.value for year in range(start, end + 1)}
        return {end: self.value} if end else {}


def number(text: str) -> Decimal | None:
    try:
        return Decimal(to_arabic_digits(text).replace(",", "").strip())
    except InvalidOperation:
        return None


def direction_of(text: str) -> str:
    """increase / decrease / maintain from the words of a KPI ("ลดลง", "ไม่เกิน" → decrease)."""
    text = _FLOORS.sub(" ", normalise(text))
    if _MAINTAIN.search(text):
        return "maintain"
    return "decrease" if _DECREASE.search(text) else "increase"


def _without_years(text: str) -> str:
    """Blank out years (พ.ศ. 2566, ภายในปี 2570, 2566 – 2570) so they are never read as a target."""
    return _YEAR.sub(lambda m: " " * len(m.group(0)), text)


def read_target(text: str) -> KpiTarget | None:
    """The target a KPI's wording states, or None when it states none ("ร้อยละของครัวเรือนที่…")."""
    text = normalise(text)
    year = _BY_YEAR.search(text)
    body = _without_years(text)
    found = _pick([(m, "ร้อยละ") for m in _PERCENT_BEFORE.finditer(body)]
                  + [(m, "ร้อยละ") for m in _PERCENT_AFTER.finditer(body)]
                  + [(m, m.group(2)) for m in _COUNT.finditer(body)], body)
    if found is None:
        compared = list(_COMPARED.finditer(body))
        if not compared:
            return None
        found = (compared[-1], "")
    match, unit = found
    return KpiTarget(value=number(match.group(1)), unit=unit, direction=direction_of(body[:match.end()]),
                     year=int(year.group(1)) if year else None, per_year=bool(_PER_YEAR.search(body)))


def _pick(matches, body):
    """Of several figures, the one a comparison word points at ("… ไม่น้อยกว่าร้อยละ 60"), else the last."""
    if not matches:
        return None
    compared = {m.start(1) for m in _COMPARED.finditer(body)}
    pointed = [(m, u) for m, u in matches if m.start(1) in compared]
    return (pointed or sorted(matches, key=lambda mu: mu[0].start(1)))[-1]


# --- the province a text is about ---------------------------------------------------------------
@dataclass(frozen=True)
class Province:
    code: str       # the area code (TIS 1099), as areas.Area.code
    name_th: str


@cache
def _provinces() -> dict[str, Province]:
    import geothai

    return {p.name_th: Province(p.code, p.name_th) for p in geothai.provinces()}


_PROVINCE_WORD = re.compile(r"(?:จังหวัด|จ\.)\s*")


def province_in(texts: list[str], title: str = "") -> Province | None:
    """The province a plan text is about: the one its plan title names (แผนพัฒนาจังหวัด…), else the one
    named most often after "จังหวัด" / "จ." (a hearing held in a hotel of the next province names that
    one once). Thai has no spaces between words, so names are matched as known prefixes."""
    names = _provinces()
    in_title = _names_after_word(title, names)
    if in_title and "แผนพัฒนาจังหวัด" in normalise(title):
        return names[in_title[0]]
    found = [name for text in texts for name in _names_after_word(text, names)]
    if not found:
        return None
    counts = Counter(found)
    return names[max(counts, key=lambda name: (counts[name], -found.index(name)))]


def _names_after_word(text: str, names: dict[str, Province]) -> list[str]:
    text = normalise(text)
    out = []
    for match in _PROVINCE_WORD.finditer(text):
        rest = text[match.end():match.end() + 20]
        name = next((n for n in _by_length(tuple(names)) if rest.startswith(n)), None)
        if name:
            out.append(name)
    return out


@cache
def _by_length(names: tuple[str, ...]) -> list[str]:
    return sorted(names, key=len, reverse=True)
