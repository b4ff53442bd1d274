"""Clinic Center at scale: routing a new report and the province dashboard over N generated reports.

Runs in a child process on a throwaway database: SQLite by default, or a throwaway PostgreSQL server with
ONEPLAN_BENCH_CLINIC_DB=postgres (the machine's binaries, as the test suite's). N reports
(ONEPLAN_BENCH_CLINIC_REPORTS, default 20,000; the issue's target is 1,000,000 on PostgreSQL) are spread
over the subdistricts of a province set (Phuket, Phang Nga, Krabi, Songkhla), every category, statuses
and dates over two years. Timed: routing a new report (clinic.routing.route), storing one through the
service the web form and Open311 use (create_report), and the province dashboard (clinic.dashboards.figures).
Goals (issue 12, PostgreSQL, 1,000,000 reports): routing < 50 ms, province dashboard < 1 s.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

REPORTS = int(os.environ.get("ONEPLAN_BENCH_CLINIC_REPORTS", "20000"))
PROVINCES = ("83", "82", "81", "90")
BATCH = 20_000
REPEAT = 30


def run():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings", "ONEPLAN_HOME": tmp,
               "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        stop = None
        if os.environ.get("ONEPLAN_BENCH_CLINIC_DB") == "postgres":
            from oneplan.testing.pgserver import start_postgres, stop_postgres

            env["DATABASE_URL"], stop = start_postgres(), stop_postgres
        try:
            subprocess.run([sys.executable, "-m", "benchmarks.bench_clinic"], env=env, check=True,
                           cwd=Path(__file__).resolve().parent.parent)
        finally:
            if stop:
                stop()


def _timed_ms(fn, repeat=REPEAT) -> tuple[float, float]:
    """(median, worst) milliseconds of `repeat` calls."""
    import statistics

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _generate(n: int) -> float:
    """Bulk-insert n reports; returns seconds. Routed once per (duty, subdistrict)."""
    import random
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from oneplan.areas.models import Area
    from oneplan.clinic.models import Category, Report
    from oneplan.clinic.routing import route

    rnd = random.Random(12)
    subs = list(Area.objects.filter(kind="subdistrict", parent__parent__code__in=PROVINCES).select_related(
        "parent__parent"))
    cats = list(Category.objects.all())
    routes = {}
    statuses = ["received", "accepted", "in_progress", "done", "done", "done", "cannot_do", "forwarded"]
    now, started = timezone.now(), time.perf_counter()
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            sub, cat = rnd.choice(subs), rnd.choice(cats)
            key = (cat.duty, cat.agency, sub.pk)   # routing depends on the duty and the place only
            r = routes.get(key) or routes.setdefault(key, route(cat, sub))
            created = now - timedelta(days=rnd.randint(0, 730), minutes=rnd.randint(0, 1440))
            status = rnd.choice(statuses)
            closed = created + timedelta(days=rnd.randint(0, 40)) if status in ("done", "cannot_do") else None
            rows.append(Report(reference=f"CC-B-{i:08d}", category=cat, text=f"ปัญหา{cat.name_th} ครั้งที่ {i}",
                               area=sub, province=sub.parent.parent, status=status, responsible=r.organisation,
                               routing_note=r.note, created_at=created, closed_at=closed,
                               due_date=Report.due_from(cat, created), follow_token=secrets.token_hex(16)))
        Report.objects.bulk_create(rows, batch_size=5000)
    return time.perf_counter() - started


def _child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import oneplan.organisations
    from benchmarks.table import print_table
    from oneplan.areas.loader import load_areas
    from oneplan.clinic import dashboards
    from oneplan.clinic.loader import load_categories
    from oneplan.clinic.models import Category
    from oneplan.clinic.routing import route
    from oneplan.clinic.services import NewReport, create_report
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.governance.locks import allow_published_changes
    from oneplan.organisations.loader import load_organisations

    call_command("migrate", verbosity=0)
    load_areas()
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    with allow_published_changes():
        load_frameworks()
    load_categories()
    seconds = _generate(REPORTS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    from oneplan.areas.models import Area

    sub = Area.objects.get(code="830303")
    phuket = Area.objects.get(code="83")
    road = Category.objects.get(code="road")
    rows = [["generate (bulk insert)", f"{REPORTS:,}", f"{seconds:.1f} s", ""]]
    med, worst = _timed_ms(lambda: route(road, sub))
    rows.append(["route a new report", "1", f"{med:.1f} ms", f"{worst:.1f} ms"])
    med, worst = _timed_ms(lambda: create_report(NewReport(category=road, text="ถนนเป็นหลุม", area=sub)), 10)
    rows.append(["store a new report (routing, reference, event)", "1", f"{med:.1f} ms", f"{worst:.1f} ms"])
    scope = dashboards.province_scope(phuket)
    figures = dashboards.figures(scope)
    med, worst = _timed_ms(lambda: dashboards.figures(scope), 5)
    rows.append([f"province dashboard ({figures.summary.total:,} reports in Phuket)", "1", f"{med:.0f} ms",
                 f"{worst:.0f} ms"])
    print(f"database: {connection.vendor}, reports: {REPORTS:,}")
    print_table(["step", "n", "median", "worst"], rows)


if __name__ == "__main__":
    _child()
