"""Read and write plans in the `oneplan-plan/1` JSON format (docs/interchange.md).

Loading is all-or-nothing: every problem is collected with its place (element code, field) and
nothing is written unless there are none. Re-loading a plan with the same key updates it in place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from oneplan.core.thai import ThaiValueError, parse_amount

from .models import (
    KPI,
    BudgetLine,
    EditionType,
    Element,
    ElementKind,
    KPITarget,
    Link,
    Plan,
    PlanKind,
    PlanStatus,
    Project,
)
from .models.links import direction_problem
from .signals import plan_loaded

FORMAT = "oneplan-plan/1"


class InterchangeError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    plan: Plan | None = None
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    links: int = 0
    unresolved_links: list[str] = field(default_factory=list)


def _choice(value, choices, where, problems, default=None):
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:
        problems.append(f"{where}: ค่า “{value}” ไม่ถูกต้อง (ใช้ได้: {', '.join(choices.values)})")
    return value


def _validate(data: dict) -> list[str]:
    problems = []
    if data.get("format") != FORMAT:
        problems.append(f"ไฟล์ไม่ใช่รูปแบบ {FORMAT}")
        return problems
    meta = data.get("plan") or {}
    for key in ("key", "kind", "title_th", "start_year", "end_year"):
        if not meta.get(key):
            problems.append(f"plan.{key}: ต้องระบุ")
    _choice(meta.get("kind"), PlanKind, "plan.kind", problems)
    seen = set()
    for i, el in enumerate(data.get("elements") or [], start=1):
        where = f"องค์ประกอบลำดับที่ {i} (รหัส {el.get('code')!r})"
        code = str(el.get("code") or "").strip()
        if not code:
            problems.append(f"{where}: ไม่มีรหัส")
        elif code in seen:
            problems.append(f"{where}: รหัสซ้ำ")
        if el.get("parent") and str(el["parent"]) not in seen:
            problems.append(f"{where}: ไม่พบองค์ประกอบแม่ “{el['parent']}” ก่อนหน้า")
        if not str(el.get("title_th") or "").strip():
            problems.append(f"{where}: ไม่มีชื่อภาษาไทย")
        _choice(el.get("kind"), ElementKind, f"{where} kind", problems)
        seen.add(code)
    return problems


def _resolve_target(plan_key: str, code: str):
    """Find a link target by plan key (or framework code, meaning its edition in force) and code.
    Codes are matched leniently: '5' finds '05'."""
    plans = Plan.objects.filter(key=plan_key)
    if not plans.exists():
        plans = sorted(Plan.objects.filter(framework=plan_key),
                       key=lambda p: (p.status != PlanStatus.IN_FORCE, -p.start_year))
    for plan in plans:
        for candidate in (code, code.zfill(2), code.lstrip("0")):
            el = Element.objects.filter(plan=plan, code=candidate).first()
            if el:
                return el
    return None


@transaction.atomic
def load_plan(data: dict, *, prune: bool = True) -> LoadReport:
    """Create or update a plan from interchange data. Raises InterchangeError with Thai messages."""
    from oneplan.areas.models import Area
    from oneplan.organisations.models import Organisation

    problems = _validate(data)
    if problems:
        raise InterchangeError(problems)
    meta = data["plan"]
    owner = Organisation.objects.filter(key=meta["owner"]).first() if meta.get("owner") else None
    if meta.get("owner") and owner is None:
        problems.append(f"plan.owner: ไม่พบหน่วยงาน “{meta['owner']}”")
    area = Area.objects.filter(code=meta["area"]).first() if meta.get("area") else None
    if meta.get("area") and area is None:
        problems.append(f"plan.area: ไม่พบพื้นที่รหัส “{meta['area']}”")
    edition = meta.get("edition") or {}
    plan = Plan.objects.filter(key=meta["key"]).first() or Plan(key=meta["key"])
    report = LoadReport(plan=plan)
    plan.framework = meta.get("framework") or ""
    plan.kind = meta["kind"]
    plan.title_th, plan.title_en = meta["title_th"], meta.get("title_en") or ""
    plan.description_th = meta.get("description_th") or ""
    plan.owner, plan.area = owner, area
    plan.start_year, plan.end_year = int(meta["start_year"]), int(meta["end_year"])
    plan.edition_type = _choice(edition.get("type"), EditionType, "plan.edition.type", problems, "first")
    plan.edition_number, plan.edition_year = edition.get("number"), edition.get("year")
    plan.edition_reason = edition.get("reason") or ""
    plan.status = _choice(meta.get("status"), PlanStatus, "plan.status", problems, PlanStatus.DRAFT)
    plan.confirmed = meta.get("confirmed", True)
    plan.source_note = meta.get("source_note") or ""
    if meta.get("supersedes"):
        plan.supersedes = Plan.objects.filter(key=meta["supersedes"]).first()
    try:
        plan.full_clean(exclude=["supersedes", "owner", "area"])
    except ValidationError as exc:
        problems += [f"plan.{f}: {' '.join(m)}" for f, m in exc.message_dict.items()]
    if problems:
        raise InterchangeError(problems)
    plan.save()

    by_code = _write_elements(plan, data.get("elements") or [], report, prune)
    problems += _write_details(plan, data.get("elements") or [], by_code)
    if problems:
        raise InterchangeError(problems)
    problems += _write_links(plan, data.get("elements") or [], by_code, report, prune)
    if problems:
        raise InterchangeError(problems)
    plan_loaded.send(sender=Plan, plan=plan, report=report)
    return report


_ELEMENT_FIELDS = ("parent_id", "kind", "order", "title_th", "title_en", "description_th", "confirmed")


def _write_elements(plan: Plan, items: list[dict], report: LoadReport, prune: bool) -> dict[str, Element]:
    """Insert new elements in bulk (a batch is flushed when a child needs its parent's id) and save
    only those existing elements that changed, so re-importing a large plan stays fast."""
    existing = {e.code: e for e in plan.elements.all()}
    by_code: dict[str, Element] = {}
    pending: list[Element] = []

    def flush():
        for e in pending:
            e.prepare()
        Element.objects.bulk_create(pending)
        pending.clear()

    for order, item in enumerate(items):
        code = str(item["code"]).strip()
        parent = by_code.get(str(item["parent"])) if item.get("parent") else None
        if parent is not None and parent.pk is None:
            flush()
        values = {"parent_id": parent.pk if parent else None, "kind": item["kind"], "order": order,
                  "title_th": item["title_th"], "title_en": item.get("title_en") or "",
                  "description_th": item.get("description_th") or "", "confirmed": item.get("confirmed", True)}
        el = existing.pop(code, None)
        if el is None:
            el = Element(plan=plan, code=code, **values)
            pending.append(el)
            report.created += 1
        elif any(getattr(el, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(el, f, v)
            el.version += 1  # editors with the old version open are told it changed
            el.save()
            report.updated += 1
        else:
            report.unchanged += 1
        by_code[code] = el
    flush()
    if prune and existing:
        Element.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
        report.removed += len(existing)
    return by_code


def _write_details(plan: Plan, items: list[dict], by_code: dict[str, Element]) -> list[str]:
    """KPI definitions with targets and project details with budgets, compared with what is stored."""
    problems: list[str] = []
    kpis = {k.element_id: k for k in KPI.objects.filter(element__plan=plan).prefetch_related("targets")}
    projects = {p.element_id: p for p in Project.objects.filter(element__plan=plan).prefetch_related("budgets")}
    for item in items:
        el = by_code[str(item["code"]).strip()]
        where = f"องค์ประกอบ {el.code}"
        try:
            if item.get("kpi"):
                _load_kpi(el, item["kpi"], where, kpis.get(el.pk))
            if item.get("project"):
                _load_project(el, item["project"], where, projects.get(el.pk))
        except ThaiValueError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def _write_links(plan: Plan, items: list[dict], by_code: dict[str, Element], report: LoadReport,
                 prune: bool) -> list[str]:
    problems: list[str] = []
    stored = set(Link.objects.filter(source__plan=plan).values_list("source_id", "target_id"))
    wanted: set[tuple[int, int]] = set()
    new_links = []
    resolved: dict[tuple[str, str], Element | None] = {}
    for item in items:
        el = by_code[str(item["code"]).strip()]
        for ref in item.get("links") or []:
            key = (str(ref.get("plan")), str(ref.get("code")))
            if key not in resolved:
                resolved[key] = _resolve_target(*key)
            target = resolved[key]
            if target is None:
                report.unresolved_links.append(f"{el.code} → {key[0]}:{key[1]}")
                continue
            if (el.pk, target.pk) in wanted:
                continue
            problem = direction_problem(plan, target.plan)
            if problem:
                problems.append(f"องค์ประกอบ {el.code} → {key[0]}:{key[1]}: {problem}")
                continue
            wanted.add((el.pk, target.pk))
            report.links += 1
            if (el.pk, target.pk) not in stored:
                new_links.append(Link(source=el, target=target, note=ref.get("note", "")))
    Link.objects.bulk_create(new_links)
    if prune:
        stale = stored - wanted
        for source_id, target_id in stale:
            Link.objects.filter(source_id=source_id, target_id=target_id).delete()
    return problems


def _load_kpi(el: Element, data: dict, where: str, kpi: KPI | None):
    values = {"unit": data.get("unit") or "", "direction": data.get("direction") or "increase",
              "baseline": _decimal(data.get("baseline"), f"{where} ค่าฐาน"),
              "baseline_year": data.get("baseline_year"), "definition": data.get("definition") or "",
              "data_source": data.get("data_source") or "", "frequency": data.get("frequency") or "yearly",
              "owner": data.get("owner") or ""}
    targets = {int(y): _decimal(v, f"{where} เป้าหมายปี {y}")
               for y, v in (data.get("targets") or {}).items() if v not in (None, "")}
    if kpi is None:
        kpi = KPI.objects.create(element=el, **values)
    elif any(getattr(kpi, f) != v for f, v in values.items()):
        for f, v in values.items():
            setattr(kpi, f, v)
        kpi.save()
    if {t.year: t.value for t in kpi.targets.all()} != targets:
        kpi.targets.all().delete()
        KPITarget.objects.bulk_create(KPITarget(kpi=kpi, year=y, value=v) for y, v in targets.items())


def _decimal(value, where) -> Decimal | None:
    if value in (None, ""):
        return None
    from oneplan.core.thai import to_arabic_digits

    try:
        return Decimal(to_arabic_digits(str(value)).replace(",", ""))
    except Exception:
        raise ThaiValueError(f"{where}: “{value}” ไม่ใช่ตัวเลข") from None


_PROJECT_FIELDS = ("objective", "output_target", "kpi_text", "expected_result", "responsible_unit", "location")


def _load_project(el: Element, data: dict, where: str, project: Project | None):
    values = {f: data.get(f) or "" for f in _PROJECT_FIELDS}
    lines: dict[tuple, BudgetLine] = {}
    for b in data.get("budgets") or []:
        key = (int(b["year"]), b.get("source") or "lao_own", b.get("stage") or "plan")
        amount = parse_amount(b.get("amount"), f"{where} งบประมาณปี {b['year']}")
        if key in lines:  # the same year/source/stage twice in a form: add up, as the form's total does
            lines[key].amount += amount
            continue
        lines[key] = BudgetLine(fiscal_year=key[0], source=key[1], stage=key[2], amount=amount,
                                within_ceiling=b.get("within_ceiling"))
    if project is None:
        project = Project.objects.create(element=el, **values)
    elif any(getattr(project, f) != v for f, v in values.items()):
        for f, v in values.items():
            setattr(project, f, v)
        project.save()
    stored = {(b.fiscal_year, b.source, b.stage, b.amount, b.within_ceiling) for b in project.budgets.all()}
    if stored != {(*k, b.amount, b.within_ceiling) for k, b in lines.items()}:
        project.budgets.all().delete()
        for line in lines.values():
            line.project = project
        BudgetLine.objects.bulk_create(lines.values())


def dump_plan(plan: Plan) -> dict:
    """The full-fidelity interchange form of a plan (loading it gives back the same plan)."""
    elements = (plan.elements.select_related("parent", "kpi", "project")
                .prefetch_related("links_up__target__plan", "kpi__targets", "project__budgets")
                .order_by("order", "id"))
    return {
        "format": FORMAT,
        "plan": {
            "key": plan.key, "framework": plan.framework or None, "kind": plan.kind,
            "title_th": plan.title_th, "title_en": plan.title_en, "description_th": plan.description_th,
            "owner": plan.owner.key if plan.owner_id else None,
            "area": plan.area.code if plan.area_id else None,
            "start_year": plan.start_year, "end_year": plan.end_year,
            "edition": {"type": plan.edition_type, "number": plan.edition_number, "year": plan.edition_year,
                        "reason": plan.edition_reason},
            "status": plan.status, "supersedes": plan.supersedes.key if plan.supersedes_id else None,
            "confirmed": plan.confirmed, "source_note": plan.source_note,
        },
        "elements": [_dump_element(e) for e in _tree_order(elements)],
    }


def _tree_order(elements) -> list[Element]:
    """Parents before children, siblings by order."""
    children: dict[int | None, list[Element]] = {}
    for e in elements:
        children.setdefault(e.parent_id, []).append(e)
    out, stack = [], list(reversed(children.get(None, [])))
    while stack:
        e = stack.pop()
        out.append(e)
        stack.extend(reversed(children.get(e.pk, [])))
    return out


def _dump_element(e: Element) -> dict:
    item = {"code": e.code, "parent": e.parent.code if e.parent_id else None, "kind": e.kind,
            "title_th": e.title_th, "title_en": e.title_en, "description_th": e.description_th,
            "confirmed": e.confirmed,
            "links": [{"plan": link.target.plan.key, "code": link.target.code, **({"note": link.note} if link.note else {})}
                      for link in e.links_up.all()],
            "kpi": None, "project": None}
    kpi = getattr(e, "kpi", None) if e.kind == ElementKind.KPI else None
    if kpi is not None:
        item["kpi"] = {"unit": kpi.unit, "direction": kpi.direction,
                       "baseline": _num(kpi.baseline), "baseline_year": kpi.baseline_year,
                       "targets": {str(t.year): _num(t.value) for t in kpi.targets.all()},
                       "definition": kpi.definition, "data_source": kpi.data_source,
                       "frequency": kpi.frequency, "owner": kpi.owner}
    project = getattr(e, "project", None) if e.kind == ElementKind.PROJECT else None
    if project is not None:
        item["project"] = {f: getattr(project, f) for f in
                           ("objective", "output_target", "kpi_text", "expected_result", "responsible_unit",
                            "location")}
        item["project"]["budgets"] = [{"year": b.fiscal_year, "amount": f"{b.amount:.2f}", "source": b.source,
                                       "stage": b.stage, "within_ceiling": b.within_ceiling}
                                      for b in project.budgets.all()]
    return item


def _num(value) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text
