"""Excel import: a 10,000-project ผ.02 workbook, streamed (dry run and commit), on its own SQLite database.

Runs in a child process with DATABASE_URL pointing at a temporary SQLite file, so the development
database is never touched. Aim: under 60 s each, memory bounded by the streaming read."""
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECTS = 10_000
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


def child():
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.table import print_table

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
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p02-10000.xlsx"
        started = time.perf_counter()
        count = write_workbook(path, "องค์การบริหารส่วนตำบลทดสอบความเร็ว")
        rows.append(["write workbook (write_only)", count, f"{time.perf_counter() - started:.1f}", "-",
                     f"{path.stat().st_size / 1e6:.1f} MB file"])
        started = time.perf_counter()
        result = services.read_file(path)
        read_s = time.perf_counter() - started
        assert result.ok, [str(p) for p in result.errors[:5]]
        tracemalloc.start()     # a second, traced pass: tracing slows Python down, so it is not timed
        services.read_file(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(["read + build interchange (streaming)", count, f"{read_s:.1f}", f"{peak / 1e6:.0f} MB",
                     f"{len(result.data['elements'])} elements, {len(result.warnings)} notes"])
        started = time.perf_counter()
        services.preview(result)
        ok = services.commit(result, dry_run=True) is not None
        rows.append(["dry run (preview + writer's validation)", count, f"{time.perf_counter() - started:.1f}",
                     "-", f"ok={ok}, nothing written"])
        started = time.perf_counter()
        report = services.commit(services.read_file(path))
        rows.append(["read + commit (load_plan, all or nothing)", count, f"{time.perf_counter() - started:.1f}",
                     "-", f"created {report.created}, links {report.links}"])
        started = time.perf_counter()
        again = services.read_file(path)
        pv = services.preview(again)
        services.commit(again)
        rows.append(["re-import same file (read + commit)", count, f"{time.perf_counter() - started:.1f}", "-",
                     f"created {len(pv.created)}, updated {len(pv.updated)}; projects in db "
                     f"{Element.objects.filter(plan__owner__key='bench-lao', kind='project').count()}"])
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(["step", "projects", "seconds", "peak traced memory", "notes"], rows)
    print(f"\npeak resident memory of the whole process: {maxrss:.0f} MB")


def run():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
               "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
        root = Path(__file__).resolve().parent.parent
        subprocess.run([sys.executable, "-m", "benchmarks.bench_transfer", "--child"], env=env, cwd=root,
                       check=True)


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
        run()
