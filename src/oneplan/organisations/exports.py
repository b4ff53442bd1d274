"""Organisations as open data: key, code, kind, name_th, area_code, parent_key (CSV with BOM, or JSON)."""
from __future__ import annotations

import csv
import io
import json

from .models import Organisation

COLUMNS = ["key", "code", "kind", "name_th", "area_code", "parent_key"]


def rows() -> list[dict]:
    qs = Organisation.objects.select_related("area", "parent").order_by("kind", "key")
    return [{"key": o.key, "code": o.code, "kind": o.kind, "name_th": o.name_th,
             "area_code": o.area.code if o.area_id else "", "parent_key": o.parent.key if o.parent_id else ""}
            for o in qs]


def as_json() -> str:
    return json.dumps(rows(), ensure_ascii=False, indent=1)


def as_csv() -> str:
    from oneplan.core.excel import csv_dict

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_dict(r) for r in rows())
    return "\ufeff" + out.getvalue()
