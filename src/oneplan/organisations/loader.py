import json
from pathlib import Path

from django.db import transaction

from .models import Organisation


@transaction.atomic
def load_organisations(path: Path) -> int:
    """Create or update organisations from a JSON list (docs/interchange.md)."""
    from oneplan.areas.models import Area

    if not path.exists():
        return 0
    items = json.loads(path.read_text("utf-8"))
    for item in items:
        Organisation.objects.update_or_create(key=item["key"], defaults={
            "kind": item["kind"], "name_th": item["name_th"], "name_en": item.get("name_en", ""),
            "parent": Organisation.objects.filter(key=item["parent"]).first() if item.get("parent") else None,
            "area": Area.objects.filter(code=item["area"]).first() if item.get("area") else None})
    return len(items)
