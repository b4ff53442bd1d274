"""Excel import: a 10,000-project ผ.02 workbook, streamed (dry run and commit), on SQLite and PostgreSQL.

Each database runs in its own child process (DATABASE_URL: a temporary SQLite file, then a throwaway
PostgreSQL from oneplan.testing.pgserver), so the development database is never touched. Each step is run
once timed with its statements counted, then once more under tracemalloc (not timed). Aim: the commit
under 15 s on PostgreSQL, a fixed number of queries per tree level (not per project), memory bounded by
the streaming read."""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.table import print_table

PROJECTS = int(os.environ.get("ONEPLAN_BENCH_TRANSFER_PROJECTS", "10000"))
# ONEPLAN_BENCH_TRANSFER_TRACE=0 skips the tracemalloc passes, ONEPLAN_BENCH_TRANSFER_REIMPORT=0 the re-import,
# ONEPLAN_BENCH_TRANSFER_DATABASES=sqlite (or postgresql) runs one database only: for a busy machine
TRACE = os.environ.get("ONEPLAN_BENCH_TRANSFER_TRACE", "1") != "0"
REIMPORT = os.environ.get("ONEPLAN_BENCH_TRANSFER_REIMPORT", "1") != "0"
DATABASES = os.environ.get("ONEPLAN_BENCH_TRANSFER_DATABASES", "sqlite,postgresql").split(",")
YEARS = [2566, 2567, 2568, 2569, 2570]
PROGRAMMES = ["แผนงานอุตสาหกรรมและการโยธา", "แผนงานเคหะและชุมชน", "แผนงานการศึกษา", "แผนงานสาธารณสุข",
              "แผนงานสร้างความเข้มแข็งของชุมชน"]
LINKS = ["ก. ยุทธศาสตร์ชาติ 20 ปี ยุทธศาสตร์ที่ {ns} ", "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็นที่ {mp:02d}",
         "ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 หมุดหมายที่ {ms}"]


def write_workbook(path: Path, owner_name: str, projects: int = PROJECTS):
    """A write_only workbook: 5 issues × 4 strategies × 5 programmes, projects spread evenly."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ผ.02")
    ws.append(["รายละเอียดโครงการพัฒนา"])
    ws.append(["แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)"])
    ws.append([f"{owner_name} จังหวัดภูเก็ต"])
    blocks = [(i, s, p) for i in range(1, 6) for s in range(1, 5) for p in range(len(PROGRAMMES))]
    per_block, n = projects // len(blocks), 0
    for issue, strategy, prog in blocks:
        ws.append([])
        for line in LINKS:
            ws.append([line.format(ns=issue, mp=issue * 3, ms=issue + 2)])
        ws.append([f"{issue}. ยุทธศาสตร์การพัฒนาด้านที่ {issue}"])
        ws.append([None, f"{issue}.{strategy} กลยุทธ์/แนวทาง แนวทางที่ {strategy} ของยุทธศาสตร์ {issue}"])
        ws.append([None, PROGRAMMES[prog]])
        ws.append(["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย (ผลผลิตของโครงการ)", "งบประมาณ", None, None, None,
                   None, "ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานรับผิดชอบหลัก"])
        ws.append([None] * 4 + [f"{y}\n(บาท)" for y in YEARS])
        for k in range(per_block):
            n += 1
            amounts = [f"{(n * 7919 + y) % 900 + 100:,}000" if (n + y) % 3 else "-" for y in YEARS]
            ws.append([k + 1, f"โครงการพัฒนาพื้นที่สาธารณะลำดับ {n} ชุมชนที่ {n % 97}", "เพื่อพัฒนาคุณภาพชีวิต",
                       f"ดำเนินการ {n % 9 + 1} แห่ง", *amounts, "ร้อยละความพึงพอใจ", "ประชาชนได้รับประโยชน์", "กองช่าง"])
    wb.save(path)
    return n


class _Counter:
    """Counts the statements a step sends to the database (a connection execute wrapper)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


class _Undo(Exception):
    pass


def _reset_peak_rss() -> None:
    """Linux: start the resident high-water mark (VmHWM, what ru_maxrss reports) again from now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(step, traced: bool):
    """Timed with its statements counted (and kept), the resident peak of that pass; when traced, first
    once under tracemalloc inside a transaction that is rolled back (tracing slows Python down several
    times, so that pass is neither timed nor counted)."""
    from django.db import connection, transaction

    peak = None
    if traced and TRACE:
        tracemalloc.start()
        try:
            with transaction.atomic():
                step()
                raise _Undo
        except _Undo:
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    _reset_peak_rss()
    counter = _Counter()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        result = step()
    seconds = f"{time.perf_counter() - started:.1f} ({time.process_time() - cpu:.1f} cpu)"
    return result, seconds, counter.n, "-" if peak is None else f"{peak / 1e6:.0f} MB", f"{_peak_rss_mb():.0f} MB"


def child():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    import oneplan.organisations
    from oneplan.areas.loader import load_areas
    from oneplan.areas.models import Area
    from oneplan.demo.loader import load_demo
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.organisations.loader import load_organisations
    from oneplan.organisations.models import Organisation
    from oneplan.plans.models import Element
    from oneplan.transfer import services

    load_areas(with_subdistricts=False)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    from oneplan.governance.locks import allow_published_changes

    try:
        with allow_published_changes():  # as `oneplan load-reference` and `load-demo` do
            load_frameworks()
            load_demo()
    except Exception as exc:  # demo data may need subdistricts; the benchmark does not need it
        print(f"(demo plans not loaded: {type(exc).__name__})")
    Organisation.objects.create(key="bench-lao", kind="sao", name_th="องค์การบริหารส่วนตำบลทดสอบความเร็ว",
                                area=Area.objects.get(code="83"))
    vendor = connection.vendor
    rows = []

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"p02-{PROJECTS}.xlsx"
        started = time.perf_counter()
        count = write_workbook(path, "องค์การบริหารส่วนตำบลทดสอบความเร็ว")
        rows.append([vendor, "write workbook (write_only)", count, f"{time.perf_counter() - started:.1f}", "-",
                     "-", "-", f"{path.stat().st_size / 1e6:.1f} MB file"])
        result, s, q, peak, rss = _measure(lambda: services.read_file(path), traced=False)
        assert result.ok, [str(p) for p in result.errors[:5]]
        rows.append([vendor, "read + build interchange (streaming)", count, s, q, peak, rss,
                     f"{len(result.data['elements'])} elements, {len(result.warnings)} notes"])

        def dry_run():
            again = services.read_file(path)
            pv = services.preview(again)
            ok = services.commit(again, dry_run=True) is not None
            return ok, len(pv.created)

        (ok, would), s, q, peak, rss = _measure(dry_run, traced=True)
        rows.append([vendor, "read + dry run (preview + writer's validation)", count, s, q,
                     peak, rss, f"ok={ok}, would create {would}, nothing written"])

        def first_commit():
            return services.commit(services.read_file(path))

        report, s, q, peak, rss = _measure(first_commit, traced=True)
        assert report is not None and report.created == would, "preview count ≠ what the commit created"
        rows.append([vendor, "read + commit (load_plan, all or nothing)", count, s, q,
                     peak, rss, f"created {report.created}, links {report.links}"])

        def reimport():
            again = services.read_file(path)
            pv = services.preview(again)
            services.commit(again)
            return len(pv.created), len(pv.updated)

        if not REIMPORT:
            return _finish(rows, vendor)
        (created, updated), s, q, peak, rss = _measure(reimport, traced=False)
        rows.append([vendor, "re-import same file (read + preview + commit)", count, s, q,
                     peak, rss,
                     f"created {created}, updated {updated}; projects in db "
                     f"{Element.objects.filter(plan__owner__key='bench-lao', kind='project').count()}"])
    _finish(rows, vendor)


def _finish(rows, vendor):
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append([vendor, "whole process", "-", "-", "-", "-", f"{maxrss:.0f} MB", "ru_maxrss at the end"])
    print(json.dumps(rows))


HEADERS = ["database", "step", "projects", "seconds", "queries", "peak traced (tracemalloc)",
           "peak resident (VmHWM)", "notes"]


def _child_rows(env, root) -> list:
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_transfer", "--child"], env=env, cwd=root,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    lines = out.strip().splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


def run():
    """Both databases, each in its own child process: a temporary SQLite file and a throwaway PostgreSQL
    (oneplan.testing.pgserver), so the development database is never touched."""
    from oneplan.testing.pgserver import start_postgres, stop_postgres

    root = Path(__file__).resolve().parent.parent
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
    rows = []
    if "sqlite" in DATABASES:
        with tempfile.TemporaryDirectory() as tmp:
            rows += _child_rows({**base, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, root)
    if "postgresql" not in DATABASES:
        print_table(HEADERS, rows)
        return
    try:
        url = start_postgres()
    except Exception as exc:  # no PostgreSQL binaries on this machine: say so, keep SQLite's figures
        print(f"(PostgreSQL not run: {exc})")
    else:
        try:
            rows += _child_rows({**base, "DATABASE_URL": url}, root)
        finally:
            stop_postgres()
    print_table(HEADERS, rows)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
        run()
