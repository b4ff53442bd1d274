"""Check the ผ.01 summary (project count and budget per strategy × programme × year) against the
ผ.02 rows of the same file, and report every difference at its cell."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from oneplan.core.thai import format_amount, normalise

from . import linkage


def _totals(projects):
    """(count, amount) per year, for all projects and per issue and programme name."""
    def empty():
        return defaultdict(lambda: [0, Decimal(0)])

    grand, by_issue, by_prog = empty(), defaultdict(empty), defaultdict(empty)
    for p in projects:
        issue = getattr(p, "issue", None)
        prog = p.ctx if p.ctx is not None and p.ctx.line.kind == "programme" else None
        for year, amount in p.budgets.items():
            if not amount:
                continue
            buckets = [grand]
            if issue is not None:
                buckets.append(by_issue[id(issue)])
                if prog is not None:
                    buckets.append(by_prog[(id(issue), linkage.programme_number(prog.line.name) or
                                            normalise(prog.line.name))])
            for bucket in buckets:
                bucket[year][0] += 1
                bucket[year][1] += amount
    return grand, by_issue, by_prog


def _find_issue(text, projects):
    line = linkage.classify(text)
    number = line.number.split(".")[0] if line else ""
    name = normalise(line.name if line else text)
    for p in projects:
        issue = getattr(p, "issue", None)
        if issue is None:
            continue
        if (number and issue.line.number.split(".")[0] == number) or (
                name and normalise(issue.line.name) and (normalise(issue.line.name) in name
                                                         or name in normalise(issue.line.name))):
            return issue
    return None


def check_summary(rows, projects, result):
    if not rows:
        return
    grand, by_issue, by_prog = _totals(projects)
    current = None
    for row in rows:
        if row.kind == "issue":
            current = _find_issue(row.text, projects)
            if current is None:
                result.warn(f"ผ.01: ไม่พบ “{row.text}” ในตารางโครงการ (ผ.02)", row.sheet, row.row)
                continue
            expected = by_issue[id(current)] if row.values and any(c or a for c, a, *_ in row.values.values()) else None
        elif row.kind == "subtotal" and current is not None:
            expected = by_issue[id(current)]
        elif row.kind == "programme" and current is not None:
            key = linkage.programme_number(row.text) or normalise(row.text)
            expected = by_prog[(id(current), key)]
        elif row.kind == "total":
            expected = grand
        else:
            continue
        if expected is not None:
            _compare(row, expected, result)


def _compare(row, expected, result):
    for year, (count, amount, count_col, amount_col) in row.values.items():
        want_count, want_amount = expected.get(year, (0, Decimal(0)))
        if count != want_count:
            result.warn(f"ผ.01 ปี {year}: จำนวนโครงการ {count} แต่ในตาราง ผ.02 มี {want_count} โครงการ",
                        row.sheet, row.row, count_col)
        if amount != want_amount:
            result.warn(f"ผ.01 ปี {year}: งบประมาณ {format_amount(amount)} บาท แต่รวมจาก ผ.02 ได้ "
                        f"{format_amount(want_amount)} บาท", row.sheet, row.row, amount_col)
