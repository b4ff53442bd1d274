"""One path for every import (Excel, text/.docx, JSON): read → ImportResult (interchange data +
problems) → preview (what would be created/updated/removed) → commit with plans.interchange.load_plan,
all or nothing. Called by the views and the management commands alike."""
from __future__ import annotations

import codecs
import json
import logging
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from oneplan.plans import interchange
from oneplan.plans.interchange import InterchangeError, LoadReport, clean_data, dump_plan, load_plan
from oneplan.plans.models import BudgetSource, BudgetStage, ElementKind, Plan

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
    result.exported_at = _when(data.get("exported_at"))
    clean, problems = clean_data(data, tick=tick)
    result.errors += [Problem(p) for p in problems]
    result.data = clean
    return result


def _when(value):
    """An ISO timestamp written by our export, or None (a file that says nothing, or nonsense)."""
    from datetime import UTC, datetime

    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# --- preview -------------------------------------------------------------------------------------
@dataclass
class Change:
    """One value an update changes, shown old → new so a planner sees what the file would revert."""
    field: str
    old: str
    new: str


@dataclass
class Preview:
    result: ImportResult
    plan: Plan | None                  # the plan that exists now, if any
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    changes: dict = field(default_factory=dict)    # code → [Change]

    @property
    def updated_rows(self) -> list[tuple[dict, list[Change]]]:
        return [(e, self.changes.get(e["code"], [])) for e in self.updated]

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
            out.changes[item["code"]] = changes_of(old, item)
        else:
            out.unchanged += 1
    if result.prune:
        out.removed = [e for c, e in existing.items() if c not in incoming]
    warning = stale_file_warning(result, plan)
    if warning and warning not in [w.message for w in result.warnings]:
        result.warn(warning)
    return out


CONTENT_ACTIONS = ("create", "update", "delete")
_FIELD_LABELS = {"title_th": "ชื่อ", "title_en": "ชื่อภาษาอังกฤษ", "description_th": "คำอธิบาย", "kind": "ประเภท",
                 "parent": "อยู่ภายใต้", "links": "การเชื่อมโยง", "confirmed": "ตรวจกับต้นฉบับแล้ว"}


def _budget_cells(item: dict) -> dict:
    project = item.get("project") or {}
    return {(b["year"], b["stage"], b["source"]): b["amount"] for b in project.get("budgets") or []}


def _kpi_cells(item: dict) -> dict:
    kpi = item.get("kpi") or {}
    return {**{f"เป้าหมายปี {y}": v for y, v in (kpi.get("targets") or {}).items()},
            **{f"ตัวชี้วัด: {k}": kpi.get(k) for k in ("unit", "direction", "baseline", "baseline_year")}}


def _amount(value) -> str:
    return "—" if value in (None, "") else f"{Decimal(str(value)):,.2f}"


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def changes_of(old: dict, new: dict) -> list[Change]:
    """Every value the update changes: fields, links, KPI targets and each budget cell (year, stage,
    source), so 900,000 → 800,000 is visible before it happens."""
    out = []
    for name, label in _FIELD_LABELS.items():
        a, b = old.get(name), new.get(name)
        if name == "links":
            a, b = (", ".join(sorted(f"{x['plan']} {x['code']}" for x in v or [])) for v in (a, b))
        elif name == "kind":
            a, b = (str(ElementKind(v).label) if v in ElementKind.values else v for v in (a, b))
        if a != b and name in new:
            out.append(Change(label, str(a if a not in (None, "") else "—"), str(b if b not in (None, "") else "—")))
    before, after = _budget_cells(old), _budget_cells(new)
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key) and "project" in new:
            year, stage, source = key
            names = f"{_label(BudgetStage, stage)}, {_label(BudgetSource, source)}"
            out.append(Change(f"งบประมาณปี {year} ({names})", _amount(before.get(key)),
                              _amount(after.get(key))))
    kpi_before, kpi_after = _kpi_cells(old), _kpi_cells(new)
    for key in sorted(set(kpi_before) | set(kpi_after)):
        if kpi_before.get(key) != kpi_after.get(key) and new.get("kpi"):
            out.append(Change(key, str(kpi_before.get(key) or "—"), str(kpi_after.get(key) or "—")))
    return out


def last_changed(plan: Plan):
    """When the plan's content was last written: its elements' own time stamps and the audit trail, which
    also records the budget lines, KPI targets and links that carry no time stamp (workflow steps don't
    count: an import never changes the status)."""
    from django.db.models import Max

    from oneplan.governance.models import AuditEntry

    latest = plan.elements.aggregate(at=Max("updated_at"))["at"]
    audited = (AuditEntry.objects.filter(plan=plan, action__in=CONTENT_ACTIONS).exclude(model__endswith="Transition")
               .aggregate(at=Max("at"))["at"])
    return max((x for x in (latest, audited) if x is not None), default=plan.created_at)


def stale_file_warning(result: ImportResult, plan: Plan | None) -> str | None:
    """A file exported before the plan's last change would silently write the older values back."""
    if plan is None or result.exported_at is None:
        return None
    changed = last_changed(plan)
    if changed <= result.exported_at:
        return None
    from oneplan.core.templatetags.thai import be_datetime

    return (f"ไฟล์นี้ส่งออกจาก OnePlan เมื่อ {be_datetime(result.exported_at)} แต่แผนนี้ถูกแก้ไขหลังจากนั้น "
            f"(ล่าสุด {be_datetime(changed)}): การนำเข้าจะเขียนค่าในไฟล์ทับการแก้ไขที่เกิดหลังวันส่งออก "
            "กรุณาตรวจรายการ “แก้ไข” (ค่าเดิม → ค่าใหม่) ด้านล่าง หรือส่งออกไฟล์ใหม่แล้วแก้ในไฟล์นั้น")


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
        "creates": [f"จะสร้าง {pv.result.new_owner.description}"] if pv.result.new_owner else [],
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
        checked = _check_with_new_owner(result)
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return False
    result.errors += [Problem(p) for p in checked.problems]
    result.warnings += [Problem(w) for w in checked.warnings]
    if checked.data is not None:
        result.data = checked.data    # clean, with the status, framework and supersedes it will have
    return not checked.problems


class _Rollback(Exception):
    pass


def _check_with_new_owner(result: ImportResult):
    """The shared writer checks that the owner exists: an owner the commit will create is created for the
    check, inside a transaction that is always rolled back."""
    if result.new_owner is None:
        return interchange.check_data(result.data, tick=result.budget)
    try:
        with transaction.atomic():
            result.new_owner.create()
            checked = interchange.check_data(result.data, tick=result.budget)
            raise _Rollback
    except _Rollback:
        return checked


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
            if result.new_owner is not None:   # the LAO the header named, with its plan or not at all
                result.new_owner.create()
            # check() above left result.data as check_data returned it: the writer does not walk the
            # whole tree a second time, only its checks against the database run again
            report = load_plan(result.data, prune=result.prune, trusted=False, tick=result.budget, cleaned=True)
            if report.unresolved_links:
                raise InterchangeError([f"เชื่อมโยงไม่ได้: {x}" for x in report.unresolved_links])
    except InterchangeError as exc:
        result.errors += [Problem(p) for p in exc.problems]
        return None
    except ImportRefused as exc:
        result.errors.append(exc.problem)
        return None
    return report
