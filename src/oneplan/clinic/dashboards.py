"""Clinic Center figures per province, district, LAO and Smart City dimension: reports by category and place,
resolution rate, median days to resolve, overdue. One function computes them (`figures`); the dashboard
page, its Excel export, the province portal and the reconciliation test all read it, so they agree.

Counted: public reports (a duplicate merged into another is counted once, through the report it joined).
"Resolved" is status done; "closed" is done or cannot be done (Open311's closed). Aggregates only: no
report text, no reporter, so every figure here is public.

In SQL: on PostgreSQL one scan of the scope's reports gives the summary, the category rows and the place
rows with their medians (GROUPING SETS, percentile_cont), read from the covering indexes of migration
0012 (a province of 250,000 reports among 1,000,000: see benchmarks/bench_clinic.py); other databases
(SQLite) run one grouped query per table and take the medians here.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Aggregate, Count, DurationField, F, Q
from django.utils import timezone

from oneplan.areas.models import Area
from oneplan.core.thai import thai_sort_key

from .models import CLOSED_STATUSES, OPEN_STATUSES, Category, Report, Status

DIMENSION_FILE = Path(__file__).parent / "data" / "smart_city.json"
DEFAULT_DIMENSION = "GOV"
NO_PLACE = "ไม่ระบุตำบล"


@cache
def category_dimensions() -> dict[str, str]:
    """{category code: Smart City dimension code} (data/smart_city.json)."""
    data = json.loads(DIMENSION_FILE.read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def dimension_of(category_code: str) -> str:
    return category_dimensions().get(category_code, DEFAULT_DIMENSION)


def dimension_names() -> dict[str, str]:
    """{code: Thai name} of the Smart City framework in force (ENV → สิ่งแวดล้อมอัจฉริยะ)."""
    from oneplan.plans.models import Element

    rows = Element.objects.filter(plan__framework="smart-city", plan__status="in_force", kind="smart_dimension")
    return {code: title for code, title in rows.values_list("code", "title_th")}


def categories_of_dimension(code: str) -> list[str]:
    return [c for c in Category.objects.values_list("code", flat=True) if dimension_of(c) == code]


# -- scopes -------------------------------------------------------------------------------------------------
@dataclass
class Scope:
    kind: str                 # province | district | lao | dimension
    key: str                  # area code, organisation key, dimension code
    title: str
    q: Q                      # which reports
    place_level: str          # group the area table by district or subdistrict
    province: Area | None = None


def province_scope(area: Area) -> Scope:
    return Scope("province", area.code, area.display_name, Q(province=area), "district", area)


def district_scope(area: Area) -> Scope:
    return Scope("district", area.code, area.display_name, Q(area__parent=area), "subdistrict", area.province())


def lao_scope(org) -> Scope:
    """An LAO's reports: those it is responsible for (the PAO sees its own duty, the desk its province)."""
    return Scope("lao", org.key, org.name_th, Q(responsible=org), "subdistrict", org.province())


def dimension_scope(code: str, names: dict, province: Area | None = None) -> Scope:
    q = Q(category__code__in=categories_of_dimension(code))
    if province is not None:
        q &= Q(province=province)
    title = names.get(code, code) + (f" · {province.display_name}" if province else "")
    return Scope("dimension", code, title, q, "district", province)


# -- figures ------------------------------------------------------------------------------------------------
@dataclass
class Row:
    key: str
    label: str
    total: int = 0
    resolved: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    median_days: float | None = None

    @property
    def resolution_rate(self) -> float | None:
        return round(100 * self.resolved / self.total, 1) if self.total else None


@dataclass
class Figures:
    scope: Scope
    summary: Row
    by_category: list[Row] = field(default_factory=list)
    by_place: list[Row] = field(default_factory=list)
    by_dimension: list[Row] = field(default_factory=list)


def _counts(today) -> dict:
    open_q = Q(status__in=OPEN_STATUSES)
    return {"total": Count("id"), "resolved": Count("id", filter=Q(status=Status.DONE)),
            "closed": Count("id", filter=Q(status__in=CLOSED_STATUSES)), "open": Count("id", filter=open_q),
            "overdue": Count("id", filter=open_q & Q(due_date__lt=today))}


class _Median(Aggregate):
    """PostgreSQL's median of an interval (percentile_cont accepts intervals)."""
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def medians(qs, group: str | None = None) -> dict:
    """{group value (or None): median days from report to done}. In the database on PostgreSQL; other
    databases (SQLite, small installs) compute it here."""
    done = qs.filter(status=Status.DONE, closed_at__isnull=False)
    duration = F("closed_at") - F("created_at")
    if connection.vendor == "postgresql":
        if group is None:
            return {None: _days(done.aggregate(m=_Median(duration, output_field=DurationField()))["m"])}
        rows = done.values(group).annotate(m=_Median(duration, output_field=DurationField())).order_by()
        return {r[group]: _days(r["m"]) for r in rows}
    spans: dict = {}
    fields = ("closed_at", "created_at") if group is None else ("closed_at", "created_at", group)
    for row in done.values_list(*fields):
        spans.setdefault(row[2] if group else None, []).append(row[0] - row[1])
    return {k: _days(statistics.median(v)) for k, v in spans.items()}


def _rows(qs, group: str, label: str, counts: dict, mids: dict) -> list[Row]:
    rows = []
    for r in qs.values(group, label).annotate(**counts).order_by():
        rows.append(Row(str(r[group]) if r[group] is not None else "", r[label] or NO_PLACE,
                        **{k: r[k] for k in counts}, median_days=mids.get(r[group])))
    return rows


def figures(scope: Scope, today=None) -> Figures:
    today = today or timezone.localdate()
    qs = Report.objects.public().filter(scope.q)
    place = "area__parent" if scope.place_level == "district" else "area"
    if connection.vendor == "postgresql":
        summary, by_category, by_place = _figures_in_one_pass(scope, qs, place, today)
    else:
        counts = _counts(today)
        summary = Row(scope.key, scope.title, **qs.aggregate(**counts), median_days=medians(qs).get(None))
        by_category = _rows(qs, "category__code", "category__name_th", counts, medians(qs, "category__code"))
        by_place = _rows(qs, f"{place}__code", f"{place}__name_th", counts, medians(qs, f"{place}__code"))
    by_place.sort(key=lambda r: thai_sort_key(r.label))
    prefix = {"district": "อำเภอ", "subdistrict": "ตำบล"}[scope.place_level]
    for row in by_place:
        row.label = f"{prefix}{row.label}" if row.key else NO_PLACE
    return Figures(scope, summary, sorted(by_category, key=lambda r: -r.total), by_place,
                   _by_dimension(by_category))


WORK_MEM = "32MB"   # PostgreSQL's default 4MB makes the sort of a province's done reports spill to disk


def _figures_in_one_pass(scope: Scope, qs, place: str, today) -> tuple[Row, list[Row], list[Row]]:
    """PostgreSQL: the counts of every (category, place) from one hashed scan of the scope's reports (the
    summary, category and place rows are their sums), and the medians from one sorted scan of its done
    reports (GROUPING SETS, percentile_cont): the same figures as the per-group queries other databases run,
    read from the covering indexes of migration 0012 (bench_clinic: a province of 250,000 reports)."""
    place_expr = F(f"{place}_id") if place == "area" else F(place)
    inner = qs.annotate(place_id=place_expr).values("category_id", "place_id", "status", "due_date").order_by()
    sql, params = inner.query.sql_with_params()
    open_list = ", ".join(["%s"] * len(OPEN_STATUSES))
    closed_list = ", ".join(["%s"] * len(CLOSED_STATUSES))
    counts_sql = f"""
        SELECT category_id, place_id, COUNT(*), COUNT(*) FILTER (WHERE status = %s),
               COUNT(*) FILTER (WHERE status IN ({closed_list})), COUNT(*) FILTER (WHERE status IN ({open_list})),
               COUNT(*) FILTER (WHERE status IN ({open_list}) AND due_date < %s)
        FROM ({sql}) AS scope GROUP BY category_id, place_id"""
    done = qs.filter(status=Status.DONE, closed_at__isnull=False).annotate(place_id=place_expr).values(
        "category_id", "place_id", "created_at", "closed_at").order_by()
    done_sql, done_params = done.query.sql_with_params()
    medians_sql = f"""
        SELECT category_id, place_id, GROUPING(category_id, place_id),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_at - created_at)
        FROM ({done_sql}) AS done GROUP BY GROUPING SETS ((category_id), (place_id), ())"""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")     # the medians' sort stays in memory
        cur.execute(counts_sql, [Status.DONE, *CLOSED_STATUSES, *OPEN_STATUSES, *OPEN_STATUSES, today, *params])
        cells = cur.fetchall()
        cur.execute(medians_sql, done_params)
        mids = {(g, c if g == 1 else p): _days(m) for c, p, g, m in cur.fetchall()}
    categories = {c.pk: c for c in Category.objects.filter(pk__in={r[0] for r in cells})}
    areas = {a.pk: a for a in Area.objects.filter(pk__in={r[1] for r in cells if r[1] is not None})}
    names = ("total", "resolved", "closed", "open", "overdue")
    summary = Row(scope.key, scope.title, median_days=mids.get((3, None)))
    by_category: dict = {}
    by_place: dict = {}
    for category_id, place_id, *numbers in cells:
        c, a = categories[category_id], areas.get(place_id)
        rows = (summary,
                by_category.get(category_id) or by_category.setdefault(
                    category_id, Row(c.code, c.name_th, median_days=mids.get((1, category_id)))),
                by_place.get(place_id) or by_place.setdefault(
                    place_id, Row(a.code if a else "", a.name_th if a else NO_PLACE,
                                  median_days=mids.get((2, place_id)))))
        for row in rows:
            for name, n in zip(names, numbers, strict=True):
                setattr(row, name, getattr(row, name) + n)
    return summary, list(by_category.values()), list(by_place.values())


def _by_dimension(by_category: list[Row]) -> list[Row]:
    """Sums of the category rows per Smart City dimension (medians are not additive: left empty)."""
    names = dimension_names()
    out: dict[str, Row] = {}
    for row in by_category:
        code = dimension_of(row.key)
        acc = out.setdefault(code, Row(code, names.get(code, code)))
        for attr in ("total", "resolved", "closed", "open", "overdue"):
            setattr(acc, attr, getattr(acc, attr) + getattr(row, attr))
    return sorted(out.values(), key=lambda r: -r.total)


# -- charts (ECharts options; the page shows the table beside each) ----------------------------------------
def bar_option(title: str, rows: list[Row]) -> dict:
    rows = [r for r in rows if r.total][:20]
    labels = [r.label if len(r.label) <= 36 else r.label[:35] + "…" for r in rows]
    return {
        "title": {"text": title, "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 32, "top": 40, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "name": "เรื่อง", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": labels},
        "series": [{"name": "แก้ไขแล้ว", "type": "bar", "stack": "n", "data": [r.resolved for r in rows]},
                   {"name": "ยังไม่เสร็จ", "type": "bar", "stack": "n", "data": [r.open for r in rows]},
                   {"name": "ปิดเรื่องโดยไม่ได้แก้", "type": "bar", "stack": "n",
                    "data": [r.closed - r.resolved for r in rows]}],
    }


