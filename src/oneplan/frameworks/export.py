from . import registry

COLUMNS = ["code", "parent_code", "kind", "title_th", "title_en"]


def framework_rows(code: str) -> list[dict]:
    """Open-data rows of the framework's edition in force: code, parent_code, kind, title_th, title_en."""
    plan = registry.plan_in_force(registry.get(code).code)
    if plan is None:
        raise KeyError(f"ยังไม่ได้โหลดกรอบอ้างอิง “{code}” (รัน oneplan load-reference)")
    rows = []
    for e in plan.elements.select_related("parent").order_by("order", "id"):
        rows.append({"code": e.code, "parent_code": e.parent.code if e.parent_id else "", "kind": e.kind,
                     "title_th": e.title_th, "title_en": e.title_en})
    return rows
