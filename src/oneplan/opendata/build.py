"""Build the open-data package of a scope (a province, or the whole country) into storage:
`opendata/<scope>.zip` with one CSV per table, `linkage.csv`, and a Frictionless `datapackage.json`
describing every column in Thai and English. Built whole in memory and stored in one write, so a
download never sees half a package."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone

from oneplan.areas.models import Area
from oneplan.core.excel import csv_row

from . import chains
from .tables import TABLES, published_plans

COUNTRY = "TH"
LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def scope_area(scope: str) -> Area | None:
    """None for the whole country; the province for its code; refused (ValueError, Thai) otherwise."""
    if scope == COUNTRY:
        return None
    area = Area.objects.filter(code=scope, kind="province").first()
    if area is None:
        raise ValueError(f"ไม่พบจังหวัดรหัส “{scope}” (ใช้รหัสจังหวัด 2 หลัก หรือ {COUNTRY} สำหรับทั้งประเทศ)")
    return area


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(["" if v is None else v.isoformat() if isinstance(v, (date, datetime)) else v
                                 for v in row]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens Thai text correctly


def _field(name, type_, th, en):
    return {"name": name, "type": type_, "title": th, "description": en}


def datapackage(scope: str, built_at: datetime) -> dict:
    resources = [{
        "name": t.name, "path": f"{t.name}.csv", "title": t.title_th, "description": t.title_en,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "schema": {"fields": [_field(c.name, c.type, c.title_th, c.title_en) for c in t.columns]},
    } for t in TABLES]
    resources.append({
        "name": "linkage", "path": "linkage.csv", "title": "ความเชื่อมโยงของโครงการกับแผนระดับชาติ",
        "description": "One row per project and fiscal year with its chain up to the National Strategy",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        "schema": {"fields": [_field(n, "number" if n == "amount" else "integer" if n == "fiscal_year" else "string",
                                     th, en) for n, th, en in chains.header()]},
    })
    return {"profile": "tabular-data-package", "name": f"oneplan-{scope.lower()}",
            "title": f"OnePlan: แผนที่เผยแพร่แล้ว ({'ทั้งประเทศ' if scope == COUNTRY else scope})",
            "created": built_at.isoformat(), "licenses": [LICENCE], "resources": resources}


def package_path(scope: str) -> str:
    return f"opendata/{scope}.zip"


def _no_progress(percent, note=None):
    pass


def build(scope: str = COUNTRY, progress=_no_progress) -> dict:
    """progress(percent, note) is told after each file of the package (a job's progress bar)."""
    area = scope_area(scope)
    plans = published_plans(area)
    built_at = timezone.now()
    buffer = io.BytesIO()
    steps = len(TABLES) + 2
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, table in enumerate(TABLES):
            progress(100 * i / steps, f"กำลังเขียนตาราง {table.title_th}")
            zf.writestr(f"{table.name}.csv", _csv([c.name for c in table.columns],
                                                  ([c.read(r) for c in table.columns] for r in table.rows(plans))))
        progress(100 * len(TABLES) / steps, "กำลังเขียนความเชื่อมโยงของโครงการกับแผนระดับชาติ")
        zf.writestr("linkage.csv", _csv([n for n, _th, _en in chains.header()], chains.rows(plans)))
        zf.writestr("datapackage.json", json.dumps(datapackage(scope, built_at), ensure_ascii=False, indent=2))
    progress(100 * (steps - 1) / steps, "กำลังบันทึกแฟ้มชุดข้อมูล")
    path = package_path(scope)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(buffer.getvalue()))
    return {"scope": scope, "path": path, "built_at": built_at, "bytes": buffer.tell()}


def built_at(scope: str) -> datetime | None:
    path = package_path(scope)
    return default_storage.get_modified_time(path) if default_storage.exists(path) else None


def is_stale(scope: str) -> bool:
    """A package older than the newest change to a published plan of its scope is rebuilt."""
    when = built_at(scope)
    if when is None:
        return True
    latest = published_plans(scope_area(scope)).aggregate(m=Max("updated_at"))["m"]
    return latest is not None and latest > when
