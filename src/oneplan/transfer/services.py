"""One path for every import (Excel, text/.docx, JSON): read → ImportResult (interchange data +
problems) → preview (what would be created/updated/removed) → commit with plans.interchange.load_plan,
all or nothing. Called by the views and the management commands alike."""
from __future__ import annotations

import codecs
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from oneplan.plans import interchange
from oneplan.plans.interchange import InterchangeError, LoadReport, clean_data, dump_plan, load_plan
from oneplan.plans.models import Plan

from .limits import TimeBudget
from .problems import ImportRefused, ImportResult, Problem

logger = logging.getLogger(__name__)

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".txt", ".docx", ".md"}
JSON_SUFFIXES = {".json"}


def max_bytes() -> int:
    return int(getattr(settings, "ONEPLAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def size_problem(size: int) -> str | None:
    """Checked before a byte of the file is parsed."""
    limit = max_bytes()
    if size > limit:
        return (f"ไฟล์มีขนาด {size / 1024 / 1024:,.1f} MB เกินขนาดที่นำเข้าได้ ({limit / 1024 / 1024:,.0f} MB) "
                "กรุณาแบ่งไฟล์เป็นหลายไฟล์ (เช่น แยกตามยุทธศาสตร์) แล้วนำเข้าทีละไฟล์")
    return None


def kind_of(filename: str) -> str | None:
    suffix = Path(filename).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in JSON_SUFFIXES:
        return "json"
    return None


def read_file(path, *, kind: str | None = None, plan=None, owner: str | None = None,
              filename: str = "") -> ImportResult:
    """Read any import into an ImportResult. Never raises: whatever the file, the problem comes back as a
    Thai message. The result carries the import's time budget on to check() and commit()."""
    filename = filename or str(path)
    kind = kind or kind_of(filename)
    budget = TimeBudget()
    try:
        result = _read(path, kind, plan, owner, filename, budget)
    except ImportRefused as exc:    # too slow, too large, not what it says it is
        result = ImportResult(errors=[exc.problem], source=kind or "")
    except FileNotFoundError:
        result = ImportResult(errors=[Problem(f"ไม่พบไฟล์ “{filename}”")], source=kind or "")
    except Exception:  # a parser's own failure on a file built to break it: a message, not a 500
        logger.exception("import of %s failed", filename)
        result = ImportResult(errors=[Problem("อ่านไฟล์นี้ไม่ได้: รูปแบบภายในของไฟล์ไม่ถูกต้องหรือเสียหาย "
                                              "กรุณาเปิดในโปรแกรมที่สร้างไฟล์แล้วบันทึกใหม่")], source=kind or "")
    result.budget = budget
    return result


def _read(path, kind, plan, owner, filename, budget) -> ImportResult:
    problem = size_problem(os.path.getsize(path))
    if problem:
        return ImportResult(errors=[Problem(problem)], source=kind or "")
    if kind == "excel":
        from .excel_import import ExcelImporter

        return ExcelImporter(path, plan=plan, owner=owner, filename=filename, tick=budget).run()
    if kind == "text":
        from .text_import import import_text

        return import_text(path, plan=plan, owner=owner, filename=filename, tick=budget)
    if kind == "json":
        return read_json(path, tick=budget)
    return ImportResult(errors=[Problem("ไม่รู้จักชนิดไฟล์นี้: นำเข้าได้เฉพาะ Excel (.xlsx), ข้อความ (.txt), "
                                        "Word (.docx) และ JSON ของ OnePlan")])


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")]


def decode_json(raw: bytes) -> str:
    """UTF-8, or UTF-16/32 when the file says so with its byte-order mark (Windows Notepad's "Unicode")."""
    for bom, encoding, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRefused(f"ไฟล์ JSON ระบุว่าเข้ารหัสแบบ {name} แต่เนื้อหาถอดรหัสไม่ได้ "
                                    "(ไฟล์อาจเสียหาย): กรุณาบันทึกใหม่เป็น UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise ImportRefused("ไฟล์ JSON นี้ดูเหมือนเข้ารหัสแบบ UTF-16/UTF-32 แต่ไม่มีเครื่องหมาย BOM จึงอ่านไม่ได้: "
                            "กรุณาบันทึกเป็น UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"ไฟล์ JSON ต้องเข้ารหัสเป็น UTF-8 (พบไบต์ที่อ่านไม่ได้ที่ตำแหน่ง {exc.start:,}): "
                            "กรุณาบันทึกเป็น UTF-8") from None


def _no_constants(name):
    raise _NotANumber(name)


class _NotANumber(ValueError):
    pass


def parse_json(text: str):
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"อ่านไฟล์ JSON ไม่ได้ที่บรรทัด {exc.lineno:,} ตำแหน่ง {exc.colno:,}: ไฟล์ไม่สมบูรณ์ "
                            "(อาจถูกตัด) หรือไม่ใช่ JSON") from None
    except _NotANumber as exc:
        raise ImportRefused(f"ไฟล์ JSON มีค่า {exc} ซึ่งไม่ใช่ตัวเลขที่ใช้ได้: ใส่ตัวเลขจริงหรือ null แทน") from None
    except RecursionError:
        raise ImportRefused("โครงสร้างในไฟล์ JSON ซ้อนกันลึกเกินไป จึงไม่อ่าน (แผนจริงซ้อนกันไม่กี่ชั้น)") from None
    except ValueError:  # an integer of thousands of digits
        raise ImportRefused("ไฟล์ JSON มีตัวเลขที่ยาวเกินไป จึงไม่อ่าน") from None


def read_json(path, *, tick=None) -> ImportResult:
    """A OnePlan JSON file: decoded, parsed and checked for the type of every field (plans.interchange.
    clean_data) before anything else looks at it; the result holds the clean data."""
    with open(path, "rb") as fh:
        return read_json_bytes(fh.read(), tick=tick)


def read_json_bytes(raw: bytes, *, tick=None) -> ImportResult:
    """The same for a request body (the write API): the caller has already checked its size."""
    result = ImportResult(source="json", prune=True)
    data = parse_json(decode_json(raw))
    if not isinstance(data, dict) or data.get("format") != "oneplan-plan/1":
        result.error("ไฟล์ JSON นี้ไม่ใช่รูปแบบแผนของ OnePlan (oneplan-plan/1)")
        return result
    clean, problems = clean_data(data, tick=tick)
    result.errors += [Problem(p) for p in problems]
    result.data = clean
    return result


# --- preview -------------------------------------------------------------------------------------
@dataclass
class Preview:
    result: ImportResult
    plan: Plan | None                  # the plan that exists now, if any
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def plan_meta(self) -> dict:
        return (self.result.data or {}).get("plan") or {}


def _comparable(item: dict) -> dict:
    item = dict(item)
    item["links"] = sorted((x["plan"], x["code"]) for x in item.get("links") or [])
    return item


def preview(result: ImportResult) -> Preview:
    if result.data is None:
        return Preview(result, None)
    meta = result.data["plan"]
    plan = Plan.objects.filter(key=meta.get("key")).first()
    existing = {e["code"]: e for e in dump_plan(plan)["elements"]} if plan else {}
    out = Preview(result, plan)
    incoming = set()
    for item in result.data["elements"]:
        incoming.add(item["code"])
        old = existing.get(item["code"])
        if old is None:
            out.created.append(item)
        elif _comparable(old) != _comparable(item):
            out.updated.append(item)
        else:
            out.unchanged += 1
    if result.prune:
        out.removed = [e for c, e in existing.items() if c not in incoming]
    return out


def describe(pv: Preview, *, committed: bool, report: LoadReport | None = None) -> dict:
    """What was (or would be) created: the --json output and the web preview's data."""
    data = pv.result.data or {}
    elements = data.get("elements") or []
    return {
        "ok": pv.ok, "committed": committed, "source": pv.result.source,
        "plan": {k: data["plan"].get(k) for k in ("key", "kind", "title_th", "owner", "area", "start_year",
                                                   "end_year", "edition")} if data else None,
        "plan_exists": pv.plan is not None,
        "counts": {"created": len(pv.created), "updated": len(pv.updated), "removed": len(pv.removed),
                   "unchanged": pv.unchanged},
        "elements": [{"kind": e["kind"], "code": e["code"], "title_th": e["title_th"], "parent": e["parent"]}
                     for e in elements if e["kind"] != "project"],
        "projects": [{"code": e["code"], "title_th": e["title_th"], "parent": e["parent"],
                      "budgets": {str(b["year"]): b["amount"] for b in (e["project"] or {}).get("budgets", [])
                                  if b["stage"] == "plan"}}
                     for e in elements if e["kind"] == "project"],
        "created": [e["code"] for e in pv.created], "updated": [e["code"] for e in pv.updated],
        "removed": [e["code"] for e in pv.removed],
        "errors": [p.as_dict() for p in pv.result.errors],
        "warnings": [p.as_dict() for p in pv.result.warnings],
        "plan_id": report.plan.pk if report and report.plan else (pv.plan.pk if pv.plan else None),
    }


# --- commit --------------------------------------------------------------------------------------
def check(result: ImportResult) -> bool:
    """The dry run: everything the shared writer (plans.interchange.load_plan) checks before writing,
    without writing: every field, the plan record, and that an import only makes or updates a draft.
    What the file says that the import will not use (status, framework, supersedes) becomes a warning."""
    if result.checked:
        return result.ok
    result.checked = True
    if not result.ok:
        return False
    try:
        checked = interchange.check_data(result.data, tick=result.budget)
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return False
    result.errors += [Problem(p) for p in checked.problems]
    result.warnings += [Problem(w) for w in checked.warnings]
    if checked.data is not None:
        result.data = checked.data    # clean, with the status, framework and supersedes it will have
    return not checked.problems


def commit(result: ImportResult, *, dry_run: bool = False) -> LoadReport | None:
    """Write the plan with the shared writer, inside one transaction. On any problem (ours or the
    writer's, or the time budget running out) nothing is written and the problems are added to the
    result. A dry run only checks. Imports are never trusted: see interchange.forced_meta."""
    if not check(result):
        return None
    if dry_run:
        return LoadReport(plan=Plan.objects.filter(key=result.data["plan"]["key"]).first())
    try:
        with transaction.atomic():
            report = load_plan(result.data, prune=result.prune, trusted=False, tick=result.budget)
            if report.unresolved_links:
                raise InterchangeError([f"เชื่อมโยงไม่ได้: {x}" for x in report.unresolved_links])
    except InterchangeError as exc:
        result.errors += [Problem(p) for p in exc.problems]
        return None
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return None
    return report
