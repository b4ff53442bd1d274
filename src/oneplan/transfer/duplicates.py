"""Likely duplicate projects inside one file: the same normalised title, or a very similar title with
the same budget years. Titles differing only in a number ('หมู่ที่ 1' / 'หมู่ที่ 2') are different
projects. Sorted-neighbourhood comparison keeps this fast on 10,000 rows."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from oneplan.core.thai import normalise

SIMILAR = 0.88
WINDOW = 4


def _years(project) -> tuple:
    return tuple(sorted(y for y, a in project.budgets.items() if a))


def flag(projects, result) -> list[tuple]:
    keyed = sorted(((normalise(p.title), i) for i, p in enumerate(projects) if p.title), key=lambda t: t)
    pairs = []
    for pos, (title, i) in enumerate(keyed):
        for other_title, j in keyed[pos + 1:pos + 1 + WINDOW]:
            a, b = projects[min(i, j)], projects[max(i, j)]
            if title == other_title:
                why = "ชื่อเดียวกัน"
            elif (re.findall(r"\d+", title) == re.findall(r"\d+", other_title) and _years(a) == _years(b)
                  and SequenceMatcher(None, title, other_title).ratio() >= SIMILAR):
                why = "ชื่อคล้ายกันและตั้งงบประมาณปีเดียวกัน"
            else:
                continue
            pairs.append((a, b))
            result.warn(f"โครงการ “{b.title}” อาจซ้ำกับแถวที่ {a.row} (แผ่นงาน “{a.sheet}”): {why}",
                        b.sheet, b.row)
    return pairs
