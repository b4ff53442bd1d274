"""Read and write plans in the `oneplan-plan/1` JSON format (docs/interchange.md).

Loading is all-or-nothing: every problem is collected with its place (element code, field) and
nothing is written unless there are none. Re-loading a plan with the same key updates it in place.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from oneplan.core.thai import (
    ThaiValueError,
    has_control_chars,
    is_blank_text,
    parse_amount,
    parse_be_year,
    strip_invisible,
)

from .models import (
    KPI,
    BudgetLine,
    BudgetSource,
    BudgetStage,
    EditionType,
    Element,
    ElementKind,
    KPIDirection,
    KPITarget,
    Link,
    Plan,
    PlanKind,
    PlanStatus,
    Project,
)
from .models.elements import TITLE_MAX_CHARS, KPIFrequency
from .models.links import direction_problem
from .models.plans import EDITABLE_STATUSES
from .models.projects import ProjectCategory
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


# --- strict structural check -----------------------------------------------------------------------
# Everything a file says is checked for its type and size before anything touches the database, so a
# hostile or broken file ends in InterchangeError with Thai messages naming the place, never in a crash.
MAX_DEPTH = 20        # a plan tree is vision … project, about eight levels; far deeper is not a plan
MAX_PROBLEMS = 100    # a broken file is told its first hundred problems, not a million lines
_NUMBER_LIMIT = Decimal("1e14")   # KPI values: 18 digits, 4 of them decimals


def _show(value) -> str:
    """A value as the message quotes it: JSON's words for containers (never a huge repr)."""
    if isinstance(value, dict):
        return "ออบเจกต์ {…}"
    if isinstance(value, list):
        return "รายการ […]"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    text = repr(value[:41] if isinstance(value, str) else value)
    return text if len(text) <= 40 else text[:40] + "…"


def _whole(value) -> int | None:
    """An integer as JSON may write it (2566 or 2566.0); 2566.7, true and "2566" are not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def clean_code(value) -> str:
    """A code as stored: without invisible characters ("1" and "1"+ZWSP are the same code) or spaces."""
    return strip_invisible(str(value)).strip()


class _Checker:
    """Reads the values of one part of the file (the plan, an element) into their clean form and notes
    each problem with its place: องค์ประกอบลำดับที่ 3 (รหัส '1.2') ช่อง title_th: ต้องเป็นข้อความ."""

    def __init__(self, problems: list[str], where: str):
        self.problems, self.where = problems, where

    def fail(self, label: str, message: str):
        self.problems.append(f"{self.where} ช่อง {label}: {message}")

    def text(self, value, label, *, limit=None, required=False, single_line=False) -> str:
        if value is None or (value == "" and not required):
            if required:
                self.fail(label, "ต้องระบุ")
            return ""
        if not isinstance(value, str):
            self.fail(label, f"ต้องเป็นข้อความ (ได้รับ {_show(value)})")
        elif has_control_chars(value, single_line=single_line):
            self.fail(label, "มีอักขระควบคุม (เช่น NUL)" + (" หรือการขึ้นบรรทัดใหม่" if single_line else "")
                      + " ซึ่งใช้ในข้อความไม่ได้")
        elif limit and len(value) > limit:
            self.fail(label, f"ยาว {len(value):,} ตัวอักษร เกินที่เก็บได้ ({limit:,} ตัวอักษร)")
        elif required and is_blank_text(value):
            self.fail(label, "ต้องระบุ (มีแต่ช่องว่างหรืออักขระที่มองไม่เห็น)")
        else:
            return value
        return ""

    def code(self, value, label, *, required=True) -> str | None:
        if value is None or value == "":
            if required:
                self.fail(label, "ต้องระบุรหัส")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(label, f"รหัสต้องเป็นข้อความ (ได้รับ {_show(value)})")
            return None
        code, limit = clean_code(value), Element._meta.get_field("code").max_length
        if has_control_chars(code, single_line=True):
            self.fail(label, "รหัสมีอักขระควบคุมหรือการขึ้นบรรทัดใหม่ ซึ่งใช้ไม่ได้")
        elif not code:
            self.fail(label, "ต้องระบุรหัส (มีแต่ช่องว่างหรืออักขระที่มองไม่เห็น)")
        elif len(code) > limit:
            self.fail(label, f"รหัสยาว {len(code):,} ตัวอักษร เกินที่เก็บได้ ({limit} ตัวอักษร)")
        else:
            return code
        return None

    def year(self, value, label, *, required=False) -> int | None:
        if value is None or value == "":
            if required:
                self.fail(label, "ต้องระบุปี พ.ศ.")
            return None
        whole = value if isinstance(value, str) else _whole(value)
        try:
            if whole is None:
                raise ThaiValueError(f"ต้องเป็นปี พ.ศ. ที่เป็นจำนวนเต็ม (ได้รับ {_show(value)})")
            return parse_be_year(whole, "ปี")
        except ThaiValueError as exc:
            self.fail(label, str(exc).removeprefix("ปี: "))
            return None

    def whole(self, value, label) -> int | None:
        if value is None or value == "":
            return None
        number = _whole(value)
        if number is None or not 0 <= number < 2**31:
            self.fail(label, f"ต้องเป็นจำนวนเต็มบวก (ได้รับ {_show(value)})")
            return None
        return number

    def number(self, value, label, *, amount=False) -> str | None:
        """A decimal number (KPI value) or a baht amount, as the canonical string dump_plan writes."""
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(label, f"ต้องเป็นตัวเลข (ได้รับ {_show(value)})")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(label, "ต้องเป็นตัวเลขที่มีค่าจริง (ไม่ใช่ NaN หรือ Infinity)")
            return None
        try:
            if amount:   # as Thai forms write them: '1,250,000', '2.5 ล้าน', '-'
                return f"{parse_amount(value, 'จำนวนเงิน'):.2f}"
            number = _decimal(value, label)
            if not number.is_finite() or abs(number) >= _NUMBER_LIMIT:
                raise ThaiValueError(f"ค่า {_show(value)} ไม่ใช่ตัวเลขที่ใช้ได้ (ต้องมีค่าจริงและไม่สูงผิดปกติ)")
            return _num(number)
        except InvalidOperation:   # 'NaN' written as text
            self.fail(label, f"ค่า {_show(value)} ไม่ใช่ตัวเลขที่มีค่าจริง")
        except ThaiValueError as exc:
            self.fail(label, str(exc).removeprefix(f"{label}: ").removeprefix("จำนวนเงิน: "))
        return None

    def choice(self, value, label, choices, default=None, *, required=False):
        if value is None or value == "":
            if required:
                self.fail(label, f"ต้องระบุ (ใช้ได้: {', '.join(choices.values)})")
            return default
        if not isinstance(value, str) or value not in _choice_values(choices):
            self.fail(label, f"ค่า {_show(value)} ไม่ถูกต้อง (ใช้ได้: {', '.join(choices.values)})")
            return default
        return value

    def flag(self, value, label, default):
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(label, f"ต้องเป็น true หรือ false (ได้รับ {_show(value)})")
            return default
        return value

    def mapping(self, value, label) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(label, f"ต้องเป็นออบเจกต์ {{…}} (ได้รับ {_show(value)})")
            return None
        return value

    def sequence(self, value, label) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(label, f"ต้องเป็นรายการ […] (ได้รับ {_show(value)})")
            return []
        return value


_CHOICE_VALUES: dict[type, frozenset] = {}


def _choice_values(choices) -> frozenset:
    """The values of a choices enum as a set, built once: Django's `choices.values` builds its list
    from every member and label on each access, which was half the check of a 10,000-project file."""
    if choices not in _CHOICE_VALUES:
        _CHOICE_VALUES[choices] = frozenset(choices.values)
    return _CHOICE_VALUES[choices]


def _limit(model, name) -> int | None:
    return model._meta.get_field(name).max_length


def _clean_plan(meta: dict, problems: list[str]) -> dict:
    c = _Checker(problems, "ข้อมูลแผน (plan)")
    edition = c.mapping(meta.get("edition"), "edition") or {}
    text = {name: c.text(meta.get(name), name, limit=_limit(Plan, name), required=name in ("key", "title_th"),
                         single_line=name in ("key", "framework", "supersedes"))
            for name in ("key", "framework", "title_th", "title_en", "description_th", "supersedes", "source_note")}
    return {
        **text, "framework": text["framework"] or None, "supersedes": text["supersedes"] or None,
        "kind": c.choice(meta.get("kind"), "kind", PlanKind, required=True),
        "owner": c.text(meta.get("owner"), "owner", single_line=True, limit=200) or None,
        "area": c.text(meta.get("area"), "area", single_line=True, limit=40) or None,
        "start_year": c.year(meta.get("start_year"), "start_year", required=True),
        "end_year": c.year(meta.get("end_year"), "end_year", required=True),
        "edition": {"type": c.choice(edition.get("type"), "edition.type", EditionType, EditionType.FIRST),
                    "number": c.whole(edition.get("number"), "edition.number"),
                    "year": c.year(edition.get("year"), "edition.year"),
                    "reason": c.text(edition.get("reason"), "edition.reason")},
        "status": c.choice(meta.get("status"), "status", PlanStatus, PlanStatus.DRAFT),
        "confirmed": c.flag(meta.get("confirmed"), "confirmed", True),
    }


def _clean_links(c: _Checker, value) -> list[dict]:
    out = []
    for j, ref in enumerate(c.sequence(value, "links"), start=1):
        ref = c.mapping(ref, f"links[{j}]")
        if ref is None:
            continue
        plan = c.text(ref.get("plan"), f"links[{j}].plan", required=True, single_line=True, limit=_limit(Plan, "key"))
        code = c.code(ref.get("code"), f"links[{j}].code")
        note = c.text(ref.get("note"), f"links[{j}].note", limit=_limit(Link, "note"))
        if plan and code:
            out.append({"plan": plan, "code": code, **({"note": note} if note else {})})
    return out


def _clean_kpi(c: _Checker, value) -> dict | None:
    data = c.mapping(value, "kpi")
    if data is None:
        return None
    targets = {}
    for year, target in (c.mapping(data.get("targets"), "kpi.targets") or {}).items():
        parsed = c.year(year, f"kpi.targets (ปี {_show(year)})")
        number = c.number(target, f"kpi.targets.{str(year)[:10]}")
        if parsed is not None and number is not None:
            targets[str(parsed)] = number
    return {"unit": c.text(data.get("unit"), "kpi.unit", limit=_limit(KPI, "unit")),
            "direction": c.choice(data.get("direction"), "kpi.direction", KPIDirection, KPIDirection.INCREASE),
            "baseline": c.number(data.get("baseline"), "kpi.baseline"),
            "baseline_year": c.year(data.get("baseline_year"), "kpi.baseline_year"),
            "targets": targets,
            "definition": c.text(data.get("definition"), "kpi.definition"),
            "data_source": c.text(data.get("data_source"), "kpi.data_source", limit=_limit(KPI, "data_source")),
            "frequency": c.choice(data.get("frequency"), "kpi.frequency", KPIFrequency, KPIFrequency.YEARLY),
            "owner": c.text(data.get("owner"), "kpi.owner", limit=_limit(KPI, "owner"))}


def _clean_project(c: _Checker, value) -> dict | None:
    data = c.mapping(value, "project")
    if data is None:
        return None
    out = {f: c.text(data.get(f), f"project.{f}", limit=_limit(Project, f)) for f in _PROJECT_FIELDS}
    if data.get("category"):
        out["category"] = c.choice(data.get("category"), "project.category", ProjectCategory, "")
    budgets = []
    for j, line in enumerate(c.sequence(data.get("budgets"), "project.budgets"), start=1):
        line = c.mapping(line, f"project.budgets[{j}]")
        if line is None:
            continue
        label = f"project.budgets[{j}]"
        budgets.append({"year": c.year(line.get("year"), f"{label}.year", required=True),
                        "amount": c.number(line.get("amount"), f"{label}.amount", amount=True) or "0.00",
                        "source": c.choice(line.get("source"), f"{label}.source", BudgetSource, BudgetSource.LAO_OWN),
                        "stage": c.choice(line.get("stage"), f"{label}.stage", BudgetStage, BudgetStage.PLAN),
                        "within_ceiling": c.flag(line.get("within_ceiling"), f"{label}.within_ceiling", None)})
    out["budgets"] = budgets
    return out


def _clean_elements(items: list, problems: list[str], tick) -> list[dict]:
    depth: dict[str, int] = {}     # code → level in the tree, for the codes seen so far
    out = []
    for i, el in enumerate(items, start=1):
        tick()
        if len(problems) > MAX_PROBLEMS:
            break
        if not isinstance(el, dict):
            problems.append(f"องค์ประกอบลำดับที่ {i}: ต้องเป็นออบเจกต์ {{…}} (ได้รับ {_show(el)})")
            continue
        c = _Checker(problems, f"องค์ประกอบลำดับที่ {i} (รหัส {_show(el.get('code'))})")
        code = c.code(el.get("code"), "code")
        if code is not None and code in depth:
            c.fail("code", f"รหัสซ้ำ: “{code}” มีอยู่แล้วในองค์ประกอบก่อนหน้า (อักขระที่มองไม่เห็นไม่นับ)")
            code = None
        parent = c.code(el.get("parent"), "parent", required=False)
        level = 1
        if parent is not None and parent not in depth:
            c.fail("parent", f"ไม่พบองค์ประกอบแม่ “{parent}” ก่อนหน้า (ต้องเรียงแม่ก่อนลูก)")
        elif parent is not None:
            level = depth[parent] + 1
            if level > MAX_DEPTH:
                c.fail("parent", f"ลำดับชั้นลึก {level} ชั้น เกินที่รับได้ ({MAX_DEPTH} ชั้น)")
        out.append({"code": code, "parent": parent,
                    "kind": c.choice(el.get("kind"), "kind", ElementKind, required=True),
                    "title_th": c.text(el.get("title_th"), "title_th", required=True, limit=TITLE_MAX_CHARS),
                    "title_en": c.text(el.get("title_en"), "title_en", limit=TITLE_MAX_CHARS),
                    "description_th": c.text(el.get("description_th"), "description_th"),
                    "confirmed": c.flag(el.get("confirmed"), "confirmed", True),
                    "links": _clean_links(c, el.get("links")),
                    "kpi": _clean_kpi(c, el.get("kpi")),
                    "project": _clean_project(c, el.get("project"))})
        if code is not None:
            depth[code] = level
    return out


def _no_tick():
    pass


def clean_data(data, *, tick=None) -> tuple[dict | None, list[str]]:
    """The strict structural check of a whole file. Returns the data in its clean, complete form (every
    key present, codes without invisible characters, years as integers, numbers as decimal strings, as
    dump_plan writes them) or None and the problems. Touches no database table."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, [f"ไฟล์ไม่ใช่รูปแบบ {FORMAT} (ต้องเป็นออบเจกต์ที่มี \"format\": \"{FORMAT}\")"]
    problems: list[str] = []
    meta, items = data.get("plan"), data.get("elements")
    if not isinstance(meta, dict):
        problems.append(f"ช่อง plan: ต้องเป็นออบเจกต์ {{…}} ที่บอกข้อมูลของแผน (ได้รับ {_show(meta)})")
    if items is not None and not isinstance(items, list):
        problems.append(f"ช่อง elements: ต้องเป็นรายการ […] ขององค์ประกอบ (ได้รับ {_show(items)})")
    if problems:
        return None, problems
    plan = _clean_plan(meta, problems)
    elements = _clean_elements(items or [], problems, tick or _no_tick)
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [f"… และปัญหาอื่นอีก (แสดง {MAX_PROBLEMS} รายการแรก)"]
    if problems:
        return None, problems
    return {"format": FORMAT, "plan": plan, "elements": elements}, []


# --- what only the workflow may set --------------------------------------------------------------
def forced_meta(existing: Plan | None) -> dict:
    """An import creates or updates a draft and nothing else: the status, framework and supersedes are
    the plan's own (a new plan: a draft of no framework that replaces nothing), whatever the file says.
    Only trusted system paths (reference data, demo, new editions) take them from the data."""
    if existing is None:
        return {"status": PlanStatus.DRAFT, "framework": None, "supersedes": None}
    return {"status": existing.status, "framework": existing.framework or None,
            "supersedes": existing.supersedes.key if existing.supersedes_id else None}


def import_refusal(meta: dict, existing: Plan | None) -> str | None:
    """Why an import may not write into the plan with this key, if it may not."""
    if existing is None:
        return None
    if existing.status not in EDITABLE_STATUSES:
        return (f"แผน “{existing.key}” อยู่ในสถานะ “{existing.get_status_display()}” ซึ่งแก้ไขไม่ได้ "
                "จึงนำเข้าทับไม่ได้: ให้เริ่มฉบับใหม่ (ทบทวน/เพิ่มเติม/แก้ไข/เปลี่ยนแปลง) จากหน้าแผนก่อน "
                "แล้วนำเข้าลงในฉบับร่างนั้น")
    owner = existing.owner.key if existing.owner_id else None
    if owner != meta.get("owner"):
        name = existing.owner.name_th if existing.owner_id else "ไม่ระบุหน่วยงาน"
        return (f"รหัสแผน “{existing.key}” เป็นแผนของ {name} ไฟล์นี้ระบุหน่วยงาน “{meta.get('owner') or '-'}” "
                "จึงนำเข้าทับไม่ได้: ใช้รหัสแผน (key) อื่น")
    return None


_IGNORED = {
    "status": "การนำเข้าสร้างหรือแก้ไขได้เฉพาะฉบับร่าง สถานะเปลี่ยนได้ตามขั้นตอนเสนอ/อนุมัติเท่านั้น",
    "framework": "กรอบอ้างอิงระดับชาติโหลดได้โดยผู้ดูแลระบบ (oneplan load-reference) เท่านั้น",
    "supersedes": "ฉบับใหม่ที่แทนฉบับเดิมต้องเริ่มจากหน้าแผนเดิม (เริ่มฉบับใหม่)",
}


def ignored_fields(meta: dict, existing: Plan | None) -> list[str]:
    """The preview's warnings: what the file says that the import does not use."""
    forced = forced_meta(existing)
    return [f"ข้อมูลแผน (plan) ช่อง {key}: ไม่ใช้ค่า “{meta[key]}” ในไฟล์ ({why}) "
            f"แผนจะมี{key} = “{forced[key] or '-'}”"
            for key, why in _IGNORED.items() if meta.get(key) not in (None, "") and meta[key] != forced[key]]


@dataclass
class Checked:
    """A file checked as a whole without writing: its clean data, the plan record it would write
    (unsaved), what blocks it and what it says that is not used."""
    data: dict | None
    plan: Plan | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_data(data, *, trusted: bool = False, tick=None, cleaned: bool = False) -> Checked:
    """Everything load_plan checks before writing, without writing (the imports' preview and dry run).
    cleaned=True: `data` is what an earlier check_data returned (Checked.data), so the structural check
    (clean_data, a pass over every element) is not run again; the checks against the database (the
    plan's status and owner, its record) always are, since they may have changed since."""
    # a copy of clean data: the forced plan fields set below never write into the caller's dict
    clean, problems = ({**data}, []) if cleaned else clean_data(data, tick=tick)
    if problems:
        return Checked(None, problems=problems)
    meta = clean["plan"]
    existing = Plan.objects.select_related("owner", "supersedes").filter(key=meta["key"]).first()
    checked = Checked(clean)
    if not trusted:
        refused = import_refusal(meta, existing)
        if refused:
            return Checked(None, problems=[refused])
        checked.warnings = ignored_fields(meta, existing)
        clean["plan"] = meta = {**meta, **forced_meta(existing)}
    checked.plan = _plan_record(meta, existing, checked.problems)
    if checked.problems:
        checked.data = None
    return checked


def _plan_record(meta: dict, existing: Plan | None, problems: list[str]) -> Plan:
    from oneplan.areas.models import Area
    from oneplan.organisations.models import Organisation

    owner = Organisation.objects.filter(key=meta["owner"]).first() if meta["owner"] else None
    if meta["owner"] and owner is None:
        problems.append(f"ข้อมูลแผน (plan) ช่อง owner: ไม่พบหน่วยงาน “{meta['owner']}”")
    area = Area.objects.filter(code=meta["area"]).first() if meta["area"] else None
    if meta["area"] and area is None:
        problems.append(f"ข้อมูลแผน (plan) ช่อง area: ไม่พบพื้นที่รหัส “{meta['area']}”")
    edition = meta["edition"]
    plan = existing or Plan(key=meta["key"])
    plan.framework, plan.kind = meta["framework"] or "", meta["kind"]
    plan.title_th, plan.title_en, plan.description_th = meta["title_th"], meta["title_en"], meta["description_th"]
    plan.owner, plan.area = owner, area
    plan.start_year, plan.end_year = meta["start_year"], meta["end_year"]
    plan.edition_type, plan.edition_number = edition["type"], edition["number"]
    plan.edition_year, plan.edition_reason = edition["year"], edition["reason"]
    plan.status, plan.confirmed, plan.source_note = meta["status"], meta["confirmed"], meta["source_note"]
    if meta["supersedes"]:
        plan.supersedes = Plan.objects.filter(key=meta["supersedes"]).first()
    try:
        plan.full_clean(exclude=["supersedes", "owner", "area"])
    except ValidationError as exc:
        problems += [f"ข้อมูลแผน (plan) ช่อง {f}: {' '.join(m)}" for f, m in exc.message_dict.items()]
    return plan


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
def load_plan(data: dict, *, prune: bool = True, trusted: bool = False, tick=None,
              cleaned: bool = False) -> LoadReport:
    """Create or update a plan from interchange data. Raises InterchangeError with Thai messages, and
    nothing else, whatever the data (tick() may raise to stop a long load; the transaction then rolls
    back). Untrusted data (every import) only ever makes or updates a draft: see forced_meta. Only the
    system's own loaders pass trusted=True: reference frameworks, demo plans and new editions.
    cleaned=True only for data that check_data has just returned (the imports' commit): see check_data."""
    tick = tick or _no_tick
    checked = check_data(data, trusted=trusted, tick=tick, cleaned=cleaned)
    if checked.problems:
        raise InterchangeError(checked.problems)
    plan, elements = checked.plan, checked.data["elements"]
    report = LoadReport(plan=plan)
    plan.save()
    problems = []
    by_code = _write_elements(plan, elements, report, prune, tick)
    problems += _write_details(plan, elements, by_code, tick)
    if problems:
        raise InterchangeError(problems)
    problems += _write_links(plan, elements, by_code, report, prune, tick)
    if problems:
        raise InterchangeError(problems)
    plan_loaded.send(sender=Plan, plan=plan, report=report)
    return report


_ELEMENT_FIELDS = ("parent_id", "kind", "order", "title_th", "title_en", "description_th", "confirmed")
BULK_CHUNK = 2000   # rows per bulk insert: bounds the write guard's IN list (SQLite's variable limit)


def _bulk_create(model, rows: list) -> None:
    """Insert rows in chunks: one write-guard check and one INSERT per chunk, no row signals (the load
    is audited as one entry by governance's plan_loaded receiver)."""
    for i in range(0, len(rows), BULK_CHUNK):
        model.objects.bulk_create(rows[i:i + BULK_CHUNK])


def _levels(items: list[dict]) -> list[list[tuple[int, dict]]]:
    """The items by depth in the tree, each with its place in the file (its order): a level's parents are
    all on the level above, so each level is inserted at once (check_data made sure parents come first)."""
    depth: dict[str, int] = {}
    levels: list[list[tuple[int, dict]]] = []
    for order, item in enumerate(items):
        level = depth[item["parent"]] + 1 if item["parent"] else 0
        depth[item["code"]] = level
        if level == len(levels):
            levels.append([])
        levels[level].append((order, item))
    return levels


def _write_elements(plan: Plan, items: list[dict], report: LoadReport, prune: bool, tick) -> dict[str, Element]:
    """Insert new elements in bulk, one level of the tree at a time (a child needs its parent's id), and
    save only those existing elements that changed (each such save is audited field by field), so
    importing or re-importing a large plan takes a few queries per level, not per row."""
    existing = {e.code: e for e in plan.elements.all()}
    by_code: dict[str, Element] = {}
    for level in _levels(items):
        pending: list[Element] = []
        for order, item in level:
            tick()
            code = item["code"]
            parent = by_code.get(item["parent"]) if item["parent"] else None
            values = {"parent_id": parent.pk if parent else None, "kind": item["kind"], "order": order,
                      "title_th": item["title_th"], "title_en": item["title_en"],
                      "description_th": item["description_th"], "confirmed": item["confirmed"]}
            el = existing.pop(code, None)
            if el is None:
                el = Element(plan=plan, code=code, **values)
                el.prepare()
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
        _bulk_create(Element, pending)
    if prune and existing:
        Element.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
        report.removed += len(existing)
    return by_code


@dataclass
class _NewRows:
    """Rows to insert in bulk once every item was read (KPIs and projects of new elements, their targets
    and budget lines, and the replaced lines of existing ones)."""
    kpis: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    lines: list = field(default_factory=list)

    def write(self):
        _bulk_create(KPI, self.kpis)
        _bulk_create(KPITarget, self.targets)
        _bulk_create(Project, self.projects)
        _bulk_create(BudgetLine, self.lines)


def _write_details(plan: Plan, items: list[dict], by_code: dict[str, Element], tick) -> list[str]:
    """KPI definitions with targets and project details with budgets, compared with what is stored."""
    problems: list[str] = []
    kpis = {k.element_id: k for k in KPI.objects.filter(element__plan=plan).prefetch_related("targets")}
    projects = {p.element_id: p for p in Project.objects.filter(element__plan=plan).prefetch_related("budgets")}
    new = _NewRows()
    for item in items:
        tick()
        el = by_code[item["code"]]
        where = f"องค์ประกอบ {el.code}"
        try:
            if item.get("kpi"):
                _load_kpi(el, item["kpi"], where, kpis.get(el.pk), new)
            if item.get("project"):
                _load_project(el, item["project"], where, projects.get(el.pk), new)
        except ThaiValueError as exc:
            problems.append(f"{where}: {exc}")
    if not problems:   # with problems the load raises and nothing is kept anyway
        new.write()
    return problems


def _write_links(plan: Plan, items: list[dict], by_code: dict[str, Element], report: LoadReport,
                 prune: bool, tick) -> list[str]:
    problems: list[str] = []
    stored = set(Link.objects.filter(source__plan=plan).values_list("source_id", "target_id"))
    wanted: set[tuple[int, int]] = set()
    new_links = []
    resolved: dict[tuple[str, str], Element | None] = {}
    for item in items:
        tick()
        el = by_code[item["code"]]
        for ref in item["links"]:
            key = (ref["plan"], ref["code"])
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


def _load_kpi(el: Element, data: dict, where: str, kpi: KPI | None, new: _NewRows):
    values = {"unit": data.get("unit") or "", "direction": data.get("direction") or "increase",
              "baseline": _decimal(data.get("baseline"), f"{where} ค่าฐาน"),
              "baseline_year": data.get("baseline_year"), "definition": data.get("definition") or "",
              "data_source": data.get("data_source") or "", "frequency": data.get("frequency") or "yearly",
              "owner": data.get("owner") or ""}
    targets = {int(y): _decimal(v, f"{where} เป้าหมายปี {y}")
               for y, v in (data.get("targets") or {}).items() if v not in (None, "")}
    if kpi is None:
        kpi = KPI(element=el, **values)
        new.kpis.append(kpi)
        new.targets += [KPITarget(kpi=kpi, year=y, value=v) for y, v in targets.items()]
        return
    if any(getattr(kpi, f) != v for f, v in values.items()):
        for f, v in values.items():
            setattr(kpi, f, v)
        kpi.save()
    if {t.year: t.value for t in kpi.targets.all()} != targets:
        kpi.targets.all().delete()
        new.targets += [KPITarget(kpi=kpi, year=y, value=v) for y, v in targets.items()]


def _decimal(value, where) -> Decimal | None:
    if value in (None, ""):
        return None
    from oneplan.core.thai import to_arabic_digits

    try:
        return Decimal(to_arabic_digits(str(value)).replace(",", ""))
    except Exception:
        raise ThaiValueError(f"{where}: “{value}” ไม่ใช่ตัวเลข") from None


_PROJECT_FIELDS = ("objective", "output_target", "kpi_text", "expected_result", "responsible_unit", "location")


def _load_project(el: Element, data: dict, where: str, project: Project | None, new: _NewRows):
    values = {f: data.get(f) or "" for f in (*_PROJECT_FIELDS, "category")}
    lines: dict[tuple, BudgetLine] = {}
    for b in data.get("budgets") or []:
        key = (int(b["year"]), b.get("source") or "lao_own", b.get("stage") or "plan")
        amount = parse_amount(b.get("amount"), f"{where} งบประมาณปี {b['year']}")
        if key in lines:  # the same year/source/stage twice in a form: add up, as the form's total does
            lines[key].amount += amount
            if lines[key].amount >= Decimal("1e13"):
                raise ThaiValueError(f"งบประมาณปี {key[0]}: ยอดรวมสูงผิดปกติ")
            continue
        lines[key] = BudgetLine(fiscal_year=key[0], source=key[1], stage=key[2], amount=amount,
                                within_ceiling=b.get("within_ceiling"))
    if project is None:
        project = Project(element=el, **values)
        new.projects.append(project)
        stored = set()
    else:
        if any(getattr(project, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(project, f, v)
            project.save()
        stored = {(b.fiscal_year, b.source, b.stage, b.amount, b.within_ceiling) for b in project.budgets.all()}
    if stored != {(*k, b.amount, b.within_ceiling) for k, b in lines.items()}:
        if not project._state.adding:
            project.budgets.all().delete()
        for line in lines.values():
            line.project = project
        new.lines += lines.values()


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
        if project.category:   # written only when set: files without it stay as they were
            item["project"]["category"] = project.category
        item["project"]["budgets"] = [{"year": b.fiscal_year, "amount": f"{b.amount:.2f}", "source": b.source,
                                       "stage": b.stage, "within_ceiling": b.within_ceiling}
                                      for b in project.budgets.all()]
    return item


def _num(value) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text
