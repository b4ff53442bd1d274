import json
from pathlib import Path

from django.db import transaction

from .models import Organisation

# Committees named by the convention of the data files, for files that do not say committee_type.
_COMMITTEE_SUFFIXES = {"-kbj": "kbj", "-kbk": "kbk", "kanb": "knb", "-local-dev": "local_development",
                       "-council": "council"}


def committee_type_of(item: dict) -> str:
    if item.get("kind") != "committee":
        return ""
    if item.get("committee_type"):
        return item["committee_type"]
    return next((t for suffix, t in _COMMITTEE_SUFFIXES.items() if item["key"].endswith(suffix)), "")


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
            "area": Area.objects.filter(code=item["area"]).first() if item.get("area") else None,
            "committee_type": committee_type_of(item)})
    return len(items)
