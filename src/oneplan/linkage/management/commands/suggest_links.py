"""`oneplan suggest-links --framework master-plans --input items.csv --top 3 --output out.csv`

items.csv: columns id,text (UTF-8 with or without BOM, or TIS-620 / Windows-874 as Thai offices save
it). out.csv: id,rank,code,title,score,low_confidence (rank 1 = best). Runs against the database,
offline, without the server."""
import csv
import io
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from oneplan.core import excel
from oneplan.linkage.engine import DEPTHS, FrameworkNotLoaded, UnknownFramework, engine_for, framework_plan

BATCH = 2000


def read_text(path: str) -> tuple[str, str]:
    """The file's text and the encoding used: UTF-8 (BOM or not), else Windows-874 (a superset of
    TIS-620), else whatever charset-normalizer is confident about."""
    try:
        raw = open(path, "rb").read()
    except OSError as exc:
        raise CommandError(f"อ่านไฟล์ “{path}” ไม่ได้ / cannot read the file: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise CommandError(f"ไม่ทราบการเข้ารหัสอักขระของไฟล์ “{path}” กรุณาบันทึกเป็น CSV UTF-8 / "
                           "unknown text encoding: save the file as CSV UTF-8")
    return str(best), best.encoding


def read_items(path: str) -> tuple[list[tuple[str, str]], str]:
    text, encoding = read_text(path)
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise CommandError(f"ไฟล์ “{path}” ไม่มีคอลัมน์ {', '.join(missing)} (ต้องมีคอลัมน์ id,text; พบ: "
                           f"{', '.join(columns) or 'ไม่มี'}) / missing column(s): {', '.join(missing)}")
    reader.fieldnames = columns
    items = [((row.get("id") or "").strip(), row.get("text") or "") for row in reader]
    items = [(i, t) for i, t in items if i or t.strip()]
    if not items:
        raise CommandError(f"ไฟล์ “{path}” ไม่มีรายการ / the input file has no items")
    return items, encoding


class Command(BaseCommand):
    help = "Suggest links from each item of a CSV (id,text) to a framework's elements."

    def add_arguments(self, parser):
        parser.add_argument("--framework", required=True, help="framework code, see `oneplan frameworks list`")
        parser.add_argument("--input", required=True, help="CSV with columns id,text")
        parser.add_argument("--output", required=True, help="CSV to write: id,rank,code,title,score,low_confidence")
        parser.add_argument("--top", type=int, default=3)
        parser.add_argument("--depth", choices=list(DEPTHS), default="top")

    def handle(self, *args, **options):
        if options["top"] < 1:
            raise CommandError("--top ต้องไม่น้อยกว่า 1 / --top must be at least 1")
        try:
            plan = framework_plan(options["framework"])
        except (UnknownFramework, FrameworkNotLoaded) as exc:
            raise CommandError(str(exc)) from None
        items, encoding = read_items(options["input"])
        self.stderr.write(f"อ่าน {len(items):,} รายการ (การเข้ารหัส {encoding}) / read {len(items):,} items, "
                          f"encoding {encoding}")
        engine = engine_for(plan, options["depth"])
        try:
            out = open(options["output"], "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ “{options['output']}” ไม่ได้ / cannot write: {exc.strerror}") from None
        with out:
            self._write(out, items, engine, options["top"])
        self.stderr.write(f"เขียนผลลัพธ์ที่ {options['output']} แล้ว / written")

    def _write(self, out, items, engine, top):
        writer = csv.writer(out)
        writer.writerow(["id", "rank", "code", "title", "score", "low_confidence"])
        started, show = time.perf_counter(), len(items) > BATCH
        for start in range(0, len(items), BATCH):
            batch = items[start:start + BATCH]
            for (item_id, _), suggestions in zip(batch, engine.rank([t for _, t in batch], top), strict=True):
                for rank, s in enumerate(suggestions, start=1):
                    writer.writerow(excel.csv_row([item_id, rank, s.code, s.title, f"{s.score:.4f}",
                                                   int(s.low_confidence)]))
            if show:
                done = start + len(batch)
                rate = done / max(time.perf_counter() - started, 1e-6)
                sys.stderr.write(f"\r{done:,}/{len(items):,} ({rate:,.0f} รายการ/วินาที)")
                sys.stderr.flush()
        if show:
            sys.stderr.write("\n")
