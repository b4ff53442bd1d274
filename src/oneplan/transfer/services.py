"""One path for every import (Excel, text/.docx, JSON): read → ImportResult (interchange data +
problems) → preview (what would be created/updated/removed) → commit with plans.interchange.load_plan,
all or nothing. Called by the views and the management commands alike."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from oneplan.plans.interchange import InterchangeError, LoadReport, dump_plan, load_plan
from oneplan.plans.models import Plan

from .problems import ImportResult, Problem

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
    filename = filename or str(path)
    kind = kind or kind_of(filename)
    problem = size_problem(os.path.getsize(path))
    if problem:
        return ImportResult(errors=[Problem(problem)], source=kind or "")
    if kind == "excel":
        from .excel_import import ExcelImporter

        return ExcelImporter(path, plan=plan, owner=owner, filename=filename).run()
    if kind == "text":
        from .text_import import import_text

        return import_text(path, plan=plan, owner=owner, filename=filename)
    if kind == "json":
        return read_json(path)
    return ImportResult(errors=[Problem("ไม่รู้จักชนิดไฟล์นี้: นำเข้าได้เฉพาะ Excel (.xlsx), ข้อความ (.txt), "
                                        "Word (.docx) และ JSON ของ OnePlan")])


def read_json(path) -> ImportResult:
    result = ImportResult(source="json", prune=True)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.error(f"อ่านไฟล์ JSON ไม่ได้: {exc}")
        return result
    if not isinstance(data, dict) or data.get("format") != "oneplan-plan/1":
        result.error("ไฟล์ JSON นี้ไม่ใช่รูปแบบแผนของ OnePlan (oneplan-plan/1)")
        return result
    result.data = data
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
    """The dry run: the shared writer's own validation (plans.interchange) of the data and of the plan
    record, without writing. Cheap enough for a 10,000-project preview."""
    if not result.ok:
        return False
    from django.core.exceptions import ValidationError

    from oneplan.plans import interchange

    problems = interchange._validate(result.data)
    meta = result.data["plan"]
    plan = Plan(key=meta.get("key") or "", kind=meta.get("kind") or "", title_th=meta.get("title_th") or "",
                start_year=meta.get("start_year") or 0, end_year=meta.get("end_year") or 0)
    try:
        plan.clean()
    except ValidationError as exc:
        problems += [f"plan.{f}: {' '.join(m)}" for f, m in exc.message_dict.items()]
    result.errors += [Problem(p) for p in problems]
    return not problems


def commit(result: ImportResult, *, dry_run: bool = False) -> LoadReport | None:
    """Write the plan with the shared writer, inside one transaction. On any problem (ours or the
    writer's) nothing is written and the problems are added to the result. A dry run only checks."""
    if not check(result):
        return None
    if dry_run:
        return LoadReport(plan=Plan.objects.filter(key=result.data["plan"]["key"]).first())
    try:
        with transaction.atomic():
            report = load_plan(result.data, prune=result.prune)
            if report.unresolved_links:
                raise InterchangeError([f"เชื่อมโยงไม่ได้: {x}" for x in report.unresolved_links])
    except InterchangeError as exc:
        result.errors += [Problem(p) for p in exc.problems]
        return None
    return report
