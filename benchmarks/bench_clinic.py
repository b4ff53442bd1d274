"""Clinic Center at scale: routing a new report and the province dashboard over N generated reports.

Runs in a child process on a throwaway database: SQLite by default, or a throwaway PostgreSQL server with
ONEPLAN_BENCH_CLINIC_DB=postgres (the machine's binaries, as the test suite's). N reports
(ONEPLAN_BENCH_CLINIC_REPORTS, default 20,000; the issue's target is 1,000,000 on PostgreSQL) are spread
over the subdistricts of a province set (Phuket, Phang Nga, Krabi, Songkhla), every category, statuses
and dates over two years. Timed: routing a new report (clinic.routing.route), storing one through the
service the web form and Open311 use (create_report), and the province dashboard (clinic.dashboards.figures).
Goals (issue 12, PostgreSQL, 1,000,000 reports): routing < 50 ms, province dashboard < 1 s.

Data: the local governments routing needs are made first (_organisations: per province its PAO and office,
per district its office, per subdistrict an SAO or municipality, a few with two or none); each report is
routed for real (resolved once per (duty, agency, subdistrict)), a quarter per province (Phuket 250,000 of
1,000,000), closed only once its closing date has passed, with its timeline events (received, then the
step that gave its status). PostgreSQL loads by COPY (psycopg 3) in chunks, SQLite by bulk_create.
Also timed: district and LAO dashboards and Open311's requests.json; the plans of the dashboard queries go
to stderr.

Measured 2 Dec 2026 (PostgreSQL 15, fsync off, 2 cores shared with three other jobs, load average ~6):
    generate (COPY)                      1,000,000 reports + 1.9M events   949 s
    route a new report, cached           1.4 ms median, 7.1 ms worst (1 query); uncached 32.5 / 55 ms
    store a new report (create_report)   34 ms median, 41 ms worst (9 queries)
    province dashboard, Phuket 250,012   1,341 ms median, 1,627 ms worst (8 queries)   goal 1 s: MISSED
    district dashboard, Thalang 88,286   812 ms;  LAO dashboard (9,596 reports) 95 ms
    Open311 requests.json?status=open    1,719 ms for the default 1,000 requests; 126 ms with limit=100
The province's time is its medians query (about 1.4 s of the plan: sorting 108,791 done reports and
percentile_cont over intervals); its counts query takes 0.5 s. See docs/clinic-open.md, "Scale".
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


STATUSES = ["received", "accepted", "in_progress", "done", "done", "done", "done", "cannot_do", "forwarded"]


def _reports(n: int):
    """Yield n (report fields, [(event kind, at, target pk, note)]) tuples: every category, the subdistricts
    of PROVINCES, created over two years; a report is closed only when its closing date has passed (recent
    reports are more often open); the responsible organisation comes from real routing, resolved once per
    (duty, agency, subdistrict)."""
    import random
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from oneplan.areas.models import Area
    from oneplan.clinic.models import Category, Report
    from oneplan.clinic.routing import resolve

    rnd = random.Random(12)
    subs = {code: list(Area.objects.filter(kind="subdistrict", parent__parent__code=code).select_related(
        "parent__parent")) for code in PROVINCES}
    cats = list(Category.objects.all())
    routes = {}
    now = timezone.now()
    for i in range(n):
        # a quarter per province (Phuket ~250,000 of 1,000,000), then any of its subdistricts
        sub, cat = rnd.choice(subs[PROVINCES[i % len(PROVINCES)]]), rnd.choice(cats)
        key = (cat.duty, cat.agency, sub.pk)   # routing depends on the duty and the place only
        r = routes.get(key) or routes.setdefault(key, resolve(cat, sub))
        created = now - timedelta(days=rnd.randint(0, 730), minutes=rnd.randint(0, 1440))
        status = rnd.choice(STATUSES)
        closed = None
        if status in ("done", "cannot_do"):
            closed = created + timedelta(days=rnd.expovariate(1 / cat.target_days), minutes=rnd.randint(0, 600))
            if closed > now:
                status, closed = "in_progress", None
        step_at = created + timedelta(hours=rnd.randint(1, 72))
        if step_at > now:
            status = "received"
        org = r.organisation.pk if r.organisation else None
        events = [("received", created, org, r.note)]
        if status != "received":
            events.append((status, closed or step_at, org, ""))
        yield (dict(reference=f"CC-B-{i:08d}", category_id=cat.pk, text=f"ปัญหา{cat.name_th} ครั้งที่ {i}",
                    area_id=sub.pk, province_id=sub.parent.parent_id, status=status, responsible_id=org,
                    routing_note=r.note, created_at=created, updated_at=closed or events[-1][1],
                    closed_at=closed, due_date=Report.due_from(cat, created), follow_token=secrets.token_hex(16)), events)


def _organisations() -> int:
    """The local governments routing needs (the reference lists hold central bodies only): per province its
    PAO (the desk) and provincial office, per district its district office, per subdistrict one SAO or
    subdistrict municipality; as in the country, a few subdistricts hold two (the desk chooses) or none
    in the system yet (the report waits at the desk)."""
    import random

    from oneplan.areas.models import Area
    from oneplan.organisations.models import Organisation

    rnd, rows = random.Random(7), []
    for province in Area.objects.filter(code__in=PROVINCES):
        rows += [Organisation(key=f"bench-pao-{province.code}", kind="pao", area=province,
                              name_th=f"องค์การบริหารส่วนจังหวัด{province.name_th}"),
                 Organisation(key=f"bench-office-{province.code}", kind="provincial_office", area=province,
                              name_th=f"สำนักงานจังหวัด{province.name_th}")]
    for district in Area.objects.filter(kind="district", parent__code__in=PROVINCES):
        rows.append(Organisation(key=f"bench-district-{district.code}", kind="provincial_agency", area=district,
                                 name_th=f"ที่ว่าการอำเภอ{district.name_th}"))
    for sub in Area.objects.filter(kind="subdistrict", parent__parent__code__in=PROVINCES):
        draw = rnd.random()
        kinds = [] if draw < 0.03 else ["subdistrict_municipality", "sao"] if draw < 0.07 else [
            "subdistrict_municipality" if rnd.random() < 0.3 else "sao"]
        for kind in kinds:
            name = ("เทศบาลตำบล" if kind != "sao" else "องค์การบริหารส่วนตำบล") + sub.name_th
            rows.append(Organisation(key=f"bench-{kind}-{sub.code}", kind=kind, area=sub, name_th=name))
    Organisation.objects.bulk_create(rows)
    return len(rows)


def _generate(n: int) -> float:
    """Insert n reports and their timeline events; returns seconds. PostgreSQL: COPY (psycopg 3) into the
    two tables; other databases: bulk_create."""
    from django.db import connection

    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _copy(n)
    else:
        _bulk(n)
    return time.perf_counter() - started


def _bulk(n: int) -> None:
    from oneplan.clinic.models import Report

    batch = []
    for fields, events in _reports(n):
        batch.append((Report(**fields), events))
        if len(batch) == BATCH:
            _bulk_write(batch)
            batch = []
    if batch:
        _bulk_write(batch)


def _bulk_write(batch) -> None:
    from oneplan.clinic.models import Event, Report

    Report.objects.bulk_create([r for r, _ in batch], batch_size=5000)   # SQLite/PostgreSQL return the ids
    Event.objects.bulk_create([Event(report_id=r.pk, kind=k, at=at, target_id=t, note=note)
                               for r, events in batch for k, at, t, note in events], batch_size=5000)


REPORT_COLUMNS = ("id", "reference", "category_id", "text", "text_normalised", "area_id", "province_id",
                  "village", "status", "responsible_id", "routing_note", "source", "source_detail",
                  "created_at", "updated_at", "due_date", "closed_at", "follow_token", "origin_key")
EVENT_COLUMNS = ("report_id", "kind", "at", "target_id", "note", "public")


def _copy(n: int) -> None:
    """COPY in chunks of BATCH reports, each followed by its events (ids given here, the sequence set after)."""
    from django.db import connection, transaction

    from oneplan.clinic.models import Event, Report

    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Report._meta.db_table}")
        first = cur.fetchone()[0] + 1
    raw = connection.cursor().connection     # the psycopg 3 connection
    reports, events = [], []
    with transaction.atomic(), raw.cursor() as cur:
        for i, (f, steps) in enumerate(_reports(n)):
            pk = first + i
            reports.append((pk, f["reference"], f["category_id"], f["text"], "", f["area_id"], f["province_id"],
                            "", f["status"], f["responsible_id"], f["routing_note"], "web", "", f["created_at"],
                            f["updated_at"], f["due_date"], f["closed_at"], f["follow_token"], ""))
            events.extend((pk, kind, at, target, note, True) for kind, at, target, note in steps)
            if len(reports) == BATCH or i == n - 1:
                for table, columns, rows in ((Report._meta.db_table, REPORT_COLUMNS, reports),
                                             (Event._meta.db_table, EVENT_COLUMNS, events)):
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                reports, events = [], []
                if (i + 1) % 100_000 == 0:
                    print(f"  … {i + 1:,} reports", file=sys.stderr, flush=True)
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{Report._meta.db_table}', 'id'), %s)",
                    [first + n - 1])


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        fn()
    return len(seen.captured_queries)


def _child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    import oneplan.organisations
    from benchmarks.table import print_table
    from oneplan.areas.loader import load_areas
    from oneplan.clinic import dashboards
    from oneplan.clinic.loader import load_categories
    from oneplan.clinic.models import Category, PartnerKey
    from oneplan.clinic.routing import route
    from oneplan.clinic.services import NewReport, create_report
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.governance.locks import allow_published_changes
    from oneplan.organisations.loader import load_organisations
    from oneplan.organisations.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_areas()
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    with allow_published_changes():
        load_frameworks()
    load_categories()
    organisations = _organisations()
    seconds = _generate(REPORTS)
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE clinic_report")
            cur.execute("VACUUM ANALYZE clinic_event")
    vacuum = time.perf_counter() - started
    from oneplan.areas.models import Area

    sub = Area.objects.get(code="830303")
    road = Category.objects.get(code="road")
    rows = [["generate (COPY)" if connection.vendor == "postgresql" else "generate (bulk_create)",
             f"{REPORTS:,} reports + events", f"{seconds:.1f} s", "", ""]]
    if vacuum > 0.05:
        rows.append(["VACUUM ANALYZE after loading", "", f"{vacuum:.1f} s", "", ""])

    def timed(label, n, fn, repeat=REPEAT, unit="ms"):
        fn()                                 # warm: the first call fills the route cache etc.
        med, worst = _timed_ms(fn, repeat)
        rows.append([label, n, f"{med:.1f} ms" if med < 100 else f"{med:.0f} ms",
                     f"{worst:.1f} ms" if worst < 100 else f"{worst:.0f} ms", _queries(fn)])

    rows.append(["route a new report, first time for the place (no cache)", "1",
                 *_cold_route(road, sub), ""])
    timed("route a new report (cached route)", "1", lambda: route(road, sub))
    timed("store a new report (create_report: route, reference, report, event)", "1",
          lambda: create_report(NewReport(category=road, text="ถนนเป็นหลุม", area=sub)), 10)
    phuket, thalang = Area.objects.get(code="83"), Area.objects.get(code="8303")
    from django.db.models import Count

    from oneplan.clinic.models import Report
    from oneplan.clinic.routing import LOCAL_KINDS

    busiest = (Report.objects.filter(province=phuket, responsible__kind__in=LOCAL_KINDS).values("responsible")
               .annotate(n=Count("id")).order_by("-n").first())   # the LAO of Phuket with most reports
    muni = Organisation.objects.get(pk=busiest["responsible"])
    for label, scope in (("province dashboard, Phuket", dashboards.province_scope(phuket)),
                         ("district dashboard, Thalang", dashboards.district_scope(thalang)),
                         (f"LAO dashboard, {muni.key}", dashboards.lao_scope(muni))):
        total = dashboards.figures(scope).summary.total
        timed(f"{label} ({total:,} reports)", "1", lambda scope=scope: dashboards.figures(scope), 5)
        if connection.vendor == "postgresql":
            _explain(lambda scope=scope: dashboards.figures(scope), label)
    client = Client()
    _, key = PartnerKey.issue("bench", Organisation.objects.get(key="bench-pao-83"))

    for limit in ("", "100"):
        def page(limit=limit):
            response = client.get("/open311/v2/requests.json", {"status": "open", "api_key": key, "limit": limit})
            assert response.status_code == 200, response.content[:300]
            page.n = len(response.json())
        page()
        timed(f"Open311 requests.json?status=open{'&limit=' + limit if limit else ''}, first page "
              f"({page.n} requests)", "1", page, 5)
    print(f"database: {connection.vendor}, reports: {REPORTS:,}, organisations made for routing: "
          f"{organisations:,}")
    print_table(["step", "n", "median", "worst", "queries"], rows)


def _explain(fn, label) -> None:
    """The plans of the slowest queries of fn, on stderr (how the time is spent, for the docs)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        fn()
    from oneplan.clinic.dashboards import WORK_MEM

    for q in sorted(seen.captured_queries, key=lambda q: -float(q["time"]))[:2]:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            plan = "\n".join(r[0] for r in cur.fetchall())
        print(f"--- {label}: {q['time']} s\n{plan}", file=sys.stderr, flush=True)


def _cold_route(category, area) -> list[str]:
    """Routing without the cache (what the first report of a place pays; after any organisation change)."""
    from oneplan.clinic.routing import forget_routes, route

    times = []
    for _ in range(REPEAT):
        forget_routes()
        started = time.perf_counter()
        route(category, area)
        times.append((time.perf_counter() - started) * 1000)
    import statistics

    return [f"{statistics.median(times):.1f} ms", f"{max(times):.1f} ms"]


if __name__ == "__main__":
    _child()
