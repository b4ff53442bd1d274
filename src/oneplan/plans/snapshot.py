"""Delete an element with everything below it, and undo that exactly.

Before deleting, Django's own deletion collector lists every row the delete will remove (the
subtree's elements, KPIs and targets, projects and budget lines, links up and links down from other
plans, monitoring results, rejected suggestions, …) and every row it will only unlink (SET_NULL, e.g.
consultation comments). The snapshot keeps those rows serialised with their primary keys; undo writes
them back as they were — same codes, order, parents, ids — inside one transaction, and re-attaches
the unlinked rows. Rows pointing at something that no longer exists (a link from an element deleted
since) are left out, and undo refuses if a restored id was taken meanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core import serializers
from django.db import router, transaction
from django.db.models.deletion import Collector

from .models import Element


@dataclass
class Restored:
    elements: int
    rows: int
    skipped: int


def _collect(element: Element) -> Collector:
    collector = Collector(using=router.db_for_write(Element))
    collector.collect([element])
    return collector


def snapshot(element: Element) -> dict:
    """Everything deleting `element` would remove or unlink, as JSON-safe data."""
    collector = _collect(element)
    rows = [obj for instances in collector.data.values() for obj in instances]
    for qs in collector.fast_deletes:
        rows += list(qs)
    unlinked = []
    for (field, value), objs in collector.field_updates.items():
        if value is not None:
            continue
        for batch in objs if isinstance(objs, (list, tuple)) else [objs]:
            pairs = (batch.values_list("pk", field.attname) if hasattr(batch, "values_list")
                     else [(o.pk, getattr(o, field.attname)) for o in ([batch] if hasattr(batch, "pk") else batch)])
            unlinked += [[field.model._meta.label, field.attname, pk, old] for pk, old in pairs]
    return {"rows": serializers.serialize("json", rows), "unlinked": unlinked,
            "elements": sum(1 for r in rows if isinstance(r, Element))}


def delete_with_snapshot(element: Element) -> dict:
    with transaction.atomic():
        data = snapshot(element)
        element.delete()
    return data


@transaction.atomic
def restore(data: dict) -> Restored:
    """Write the snapshot back. Raises ValueError (Thai) if an id it needs was taken since."""
    objects = list(serializers.deserialize("json", data["rows"]))
    for obj in objects:
        model = type(obj.object)
        if model._default_manager.filter(pk=obj.object.pk).exists():
            raise ValueError(f"นำกลับไม่ได้: มีข้อมูล {model._meta.verbose_name} รหัส {obj.object.pk} "
                             f"ที่สร้างขึ้นใหม่แทนที่แล้ว")
    restored_pks = {(type(o.object), o.object.pk) for o in objects}
    saved, skipped = 0, 0
    for obj in objects:
        if _points_to_missing(obj.object, restored_pks):
            skipped += 1
            continue
        obj.save()
        saved += 1
    for label, attname, pk, old in data.get("unlinked", []):
        model = apps.get_model(label)
        model._default_manager.filter(pk=pk, **{f"{attname}__isnull": True}).update(**{attname: old})
    return Restored(sum(1 for o in objects if isinstance(o.object, Element)), saved, skipped)


def _points_to_missing(obj, restored_pks) -> bool:
    """A row whose foreign key points at a row neither restored nor still present (e.g. a link from
    an element of another plan deleted meanwhile)."""
    for field in obj._meta.concrete_fields:
        if not field.many_to_one and not field.one_to_one:
            continue
        value = getattr(obj, field.attname)
        target = field.related_model
        if value is None or (target, value) in restored_pks:
            continue
        if not target._default_manager.filter(pk=value).exists():
            return True
    return False
