"""Reference categories of the Clinic Center (clinic/data/categories.json), loaded by load-reference."""
import json
from pathlib import Path

from django.db import transaction

from .models import AgencyKind, Category, DutyLevel

CATEGORIES = Path(__file__).parent / "data" / "categories.json"
FIELDS = ("name_th", "name_en", "description_th", "duty", "agency", "law_note", "target_days")


@transaction.atomic
def load_categories(path: Path = CATEGORIES) -> int:
    """Create or update the categories by code (rows not in the file are kept: reports use them)."""
    items = json.loads(path.read_text("utf-8"))
    for order, item in enumerate(items, start=1):
        if item["duty"] not in DutyLevel.values or item.get("agency", "") not in ["", *AgencyKind.values]:
            raise ValueError(f"หมวดปัญหา {item['code']}: ระดับหน้าที่หรือหน่วยงานไม่ถูกต้อง")
        Category.objects.update_or_create(code=item["code"], defaults={
            **{f: item.get(f, "") for f in FIELDS if f != "target_days"},
            "target_days": item["target_days"], "order": order})
    return len(items)
