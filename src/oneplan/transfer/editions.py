"""Edition labels as Thai announcements write them, read from a plan title.

    "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) เพิ่มเติม (ฉบับที่ 3) ประจำปีงบประมาณ พ.ศ. 2567"
        → addition, number 3, year 2567, period 2566–2570
    "ทบทวน ครั้งที่ 2/2565" → review 2 / 2565;  "เปลี่ยนแปลง ครั้งที่ 3 / 2567" → change 3 / 2567
    "แก้ไข (ฉบับที่ 1)" → correction 1;  "ฉบับแรก" (or no edition words) → first

A pure function: no database, Thai digits and spacing variants accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from oneplan.core.thai import MAX_BE_YEAR, MIN_BE_YEAR, normalise

# Order matters only for the words inside others: "แก้ไขเพิ่มเติม" is a correction and an addition.
_KEYWORDS = [("ฉบับแรก", "first"), ("ทบทวน", "review"), ("ปรับปรุง", "review"), ("เพิ่มเติม", "addition"),
             ("แก้ไข", "correction"), ("เปลี่ยนแปลง", "change")]
_KEYWORD_RE = re.compile("|".join(k for k, _ in _KEYWORDS))
_PERIOD_RE = re.compile(r"(?:พ\.\s?ศ\.?\s*)?(\d{4})\s*[-–—~]\s*(\d{2,4})(?!\s*\d)")
_NUMBER_RE = re.compile(r"^\s*\(?\s*(?:ฉบับที่|ครั้งที่|ฉบับ)\s*(\d{1,3})\s*\)?(?:\s*/\s*(?:พ\.\s?ศ\.\s*)?(\d{2,4}))?")
_YEAR_RE = re.compile(r"(?:ประจำปี(?:งบประมาณ)?|ปี(?:งบประมาณ)?|พ\.\s?ศ\.)\s*(?:พ\.\s?ศ\.)?\s*(\d{4})")


@dataclass(frozen=True)
class Edition:
    type: str = "first"                    # first | review | addition | correction | change
    number: int | None = None
    year: int | None = None                # พ.ศ. of the edition ("/2565", "ประจำปี 2567")
    start_year: int | None = None          # plan period, พ.ศ.
    end_year: int | None = None
    types: tuple[str, ...] = ()            # every kind named, for combinations ("เพิ่มเติมและเปลี่ยนแปลง")

    def as_interchange(self) -> dict:
        return {"type": self.type, "number": self.number, "year": self.year}


def _full_year(text: str | None, near: int | None = None) -> int | None:
    """'2565' → 2565; '65' → 2565 (two-digit years in Thai documents are พ.ศ. 25xx)."""
    if not text:
        return None
    year = int(text)
    if year < 100:
        year += (near // 100 * 100) if near else 2500
    return year if MIN_BE_YEAR <= year <= MAX_BE_YEAR else None


def parse_period(title: str) -> tuple[int | None, int | None]:
    """The plan period '(พ.ศ. 2566 – 2570)', '2561-2564', 'พ.ศ.๒๕๖๖-๒๕๗๐' → (2566, 2570)."""
    text = normalise(title)
    for match in _PERIOD_RE.finditer(text):
        # '2/2565' is an edition number and year, not a period: the slash form never matches here
        start = _full_year(match.group(1))
        end = _full_year(match.group(2), near=start)
        if start and end and start < end <= start + 25:
            return start, end
    return None, None


def parse_edition(title: str) -> Edition:
    text = normalise(title)
    start, end = parse_period(text)
    found = [(m.start(), m.end(), dict(_KEYWORDS)[m.group(0)]) for m in _KEYWORD_RE.finditer(text)]
    types = tuple(dict.fromkeys(t for _, _, t in found if t != "first"))
    number = year = None
    for i, (_, kw_end, _kind) in enumerate(found):
        segment_end = found[i + 1][0] if i + 1 < len(found) else len(text)
        segment = text[kw_end:segment_end]
        match = _NUMBER_RE.match(segment)
        if match and number is None:
            number = int(match.group(1))
            year = _full_year(match.group(2))
            segment = segment[match.end():]
        if year is None:
            year = _edition_year(segment, start, end)
    return Edition(type=types[0] if types else "first", number=number, year=year,
                   start_year=start, end_year=end, types=types)


def _edition_year(segment: str, start: int | None, end: int | None) -> int | None:
    """'ประจำปีงบประมาณ พ.ศ. 2567' after the edition words; the period's own years do not count."""
    for match in _YEAR_RE.finditer(segment):
        year = _full_year(match.group(1))
        following = segment[match.end():match.end() + 4]
        if year and not re.match(r"\s*[-–—]\s*\d", following):
            return year
    return None
