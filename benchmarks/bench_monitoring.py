"""Monitoring at province scale on PostgreSQL: one-plan budget view, coverage and duplicate detection.

Generates a province (1 PAO, 100 LAOs, 50 agencies, ~40,000 projects with budgets over 5 years; the
same data as `oneplan generate-province --lao 100 --agencies 50 --projects-per-plan 265`) in a
throwaway PostgreSQL server. benchmarks/__main__ has already set Django up (on SQLite) when this
module is imported, so the measuring runs in a child process pointed at the new server.
Goals: budget view and coverage < 1 s; duplicate detection < 30 s.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

PROVINCE, LAO, AGENCIES, PER_PLAN = "30", 100, 50, 265
REPEAT = 3


def run():
    from oneplan.testing.pgserver import start_postgres, stop_postgres

    url = start_postgres()
    try:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
        subprocess.run([sys.executable, "-m", "benchmarks.bench_monitoring"], env=env, check=True,
                       cwd=Path(__file__).resolve().parent.parent)
    finally:
        stop_postgres()


def _timed(fn, repeat=REPEAT):
    fn()  # warm-up: first query plans, template loading, framework titles
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), sorted(times)[len(times) // 2], result


def _child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    import oneplan.organisations
    from benchmarks.table import print_table
    from oneplan.areas.loader import load_areas
    from oneplan.areas.models import Area
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.monitoring import budgetview, duplicates
    from oneplan.monitoring.generate import generate_province
    from oneplan.organisations.loader import load_organisations

    rows = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(with_subdistricts=True)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    from oneplan.governance.locks import allow_published_changes

    with allow_published_changes():  # as `oneplan load-reference` does
        load_frameworks()
    rows.append(["reference data loaded (s)", f"{time.perf_counter() - started:.1f}", ""])
    started = time.perf_counter()
    made = generate_province(PROVINCE, LAO, AGENCIES, PER_PLAN)
    rows.append(["generate province (s)", f"{time.perf_counter() - started:.1f}",
                 f"{made.plans} plans, {made.projects:,} projects, {made.budget_lines:,} budget lines"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    area = Area.objects.get(code=PROVINCE)
    client = Client()
    url = f"/monitoring/budget/{PROVINCE}/"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    best, median, response = _timed(page)
    rows.append(["budget view page, rendered (s)", f"{best:.3f}", f"median {median:.3f}; {len(response.content):,} bytes; goal < 1 s"])
    best, median, data = _timed(lambda: budgetview.area_budget(area))
    rows.append(["budget view aggregation (s)", f"{best:.3f}", f"median {median:.3f}; total {data.total:,.2f} baht"])
    best, median, groups = _timed(lambda: budgetview.coverage(area))
    rows.append(["coverage by master plan (s)", f"{best:.3f}", f"median {median:.3f}; {len(groups)} master plans; goal < 1 s"])
    best, median, found = _timed(lambda: duplicates.duplicate_report(area), repeat=1)
    everything = duplicates.duplicate_report(area, limit=10**7).candidates
    planted = sum(1 for c in everything if c.a["title"].startswith("โครงการ ") or c.b["title"].startswith("โครงการ "))
    rows.append(["duplicate detection (s)", f"{best:.2f}",
                 f"{found.total:,} pairs found, {len(found.candidates)} listed; {planted} pairs involve one of the "
                 f"{made.planted_duplicates} planted copies; goal < 30 s"])
    print_table(["measure", "value", "notes"], rows)


if __name__ == "__main__":
    _child()
