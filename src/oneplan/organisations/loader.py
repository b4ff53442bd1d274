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
        _adopt_same_body(item, Area)
        Organisation.objects.update_or_create(key=item["key"], defaults={
            "kind": item["kind"], "name_th": item["name_th"], "name_en": item.get("name_en", ""),
            "parent": Organisation.objects.filter(key=item["parent"]).first() if item.get("parent") else None,
            "area": Area.objects.filter(code=item["area"]).first() if item.get("area") else None,
            "committee_type": committee_type_of(item)})
    return len(items)


def _adopt_same_body(item: dict, Area) -> None:
    """A curated file names a body the national loader already made (ก.บ.จ.ภูเก็ต as "phuket-kbj" and
    "kbj-83"): it is one body, so the existing row takes the file's key instead of a second row."""
    from .national import ONE_PER_AREA

    if item.get("kind") not in ONE_PER_AREA or not item.get("area") or Organisation.objects.filter(
            key=item["key"]).exists():
        return
    same = Organisation.objects.filter(kind=item["kind"], committee_type=committee_type_of(item),
                                       area__code=item["area"]).order_by("pk").first()
    if same is not None:
        same.key = item["key"]
        same.save(update_fields=["key"])
