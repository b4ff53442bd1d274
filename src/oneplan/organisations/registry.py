"""The local government registry import: a CSV or Excel file in the layout the Department of Local
Administration publishes (code, name, kind, province, district, subdistrict; Thai headers accepted),
matched to geothai areas, read into a preview (what will be created / updated / skipped) and written
all or nothing. Called by `oneplan import-organisations` and by the province administrator's pages
(which pass `scope`, their province: rows of other provinces are refused).

The same body is never created twice: rows are matched to existing organisations by official code,
then by `names.name_key` (abbreviations expanded) within the province."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from oneplan.areas.models import Area, AreaKind
from oneplan.core.excel import is_formula_like
from oneplan.core.thai import has_control_chars, is_blank_text, normalise, strip_invisible, to_arabic_digits
from oneplan.transfer.limits import MAX_COLUMNS, MAX_ROWS, TimeBudget
from oneplan.transfer.problems import ImportRefused, Problem

from .models import LAO_KINDS, Organisation, OrgKind
from .names import ABBREVIATION, expand, kind_from_name, name_key, parse_kind
from .places import find_place

FIELDS = ("code", "name", "kind", "province", "district", "subdistrict")
LABEL = {"code": "รหัส", "name": "ชื่อ อปท.", "kind": "ประเภท", "province": "จังหวัด", "district": "อำเภอ",
         "subdistrict": "ตำบล"}
# header text (normalised, no spaces) → field
_HEADERS = {
    "code": ("รหัส", "รหัสอปท.", "รหัสอปท", "รหัสองค์กรปกครองส่วนท้องถิ่น", "รหัสหน่วยงาน", "code", "dlacode"),
    "name": ("ชื่ออปท.", "ชื่ออปท", "ชื่อ", "ชื่อองค์กรปกครองส่วนท้องถิ่น", "ชื่อหน่วยงาน", "name", "name_th"),
    "kind": ("ประเภท", "ประเภทอปท.", "ประเภทอปท", "รูปแบบ", "kind", "type"),
    "province": ("จังหวัด", "province"),
    "district": ("อำเภอ", "อำเภอ/เขต", "เขต", "district", "amphoe"),
    "subdistrict": ("ตำบล", "ตำบล/แขวง", "แขวง", "subdistrict", "tambon"),
}
_HEADER_OF = {alias: f for f, aliases in _HEADERS.items() for alias in aliases}
MAX_FIELD = 300
KIND_NAMES = "อบจ., เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล, อบต., กรุงเทพมหานคร, เมืองพัทยา"
# the level of area each kind governs, and the column that must name it
_NEEDS = {OrgKind.SAO: "subdistrict", OrgKind.SUBDISTRICT_MUNICIPALITY: "subdistrict",
          OrgKind.TOWN_MUNICIPALITY: "district", OrgKind.CITY_MUNICIPALITY: "district"}


@dataclass
class RegistryRow:
    row: int
    action: str                     # create | update | skip
    code: str
    name_th: str
    kind: str
    area: Area
    org: Organisation | None = None
    changes: dict = field(default_factory=dict)     # field → [before, after]

    def as_dict(self) -> dict:
        return {"row": self.row, "action": self.action, "code": self.code, "name_th": self.name_th,
                "kind": self.kind, "abbreviation": ABBREVIATION.get(self.kind, ""), "area_code": self.area.code,
                "area": area_label(self.area), "key": self.org.key if self.org else "", "changes": self.changes}


@dataclass
class RegistryImport:
    rows: list[RegistryRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    reader: object = field(default=None, repr=False)   # what commit needs: the keys already taken

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[RegistryRow]:
        return [r for r in self.rows if r.action == action]

    def describe(self, *, committed: bool) -> dict:
        return {"ok": self.ok, "committed": committed,
                "counts": {a: len(self.of(a)) for a in ("create", "update", "skip")},
                "created": [r.as_dict() for r in self.of("create")],
                "updated": [r.as_dict() for r in self.of("update")],
                "skipped": [r.as_dict() for r in self.of("skip")],
                "errors": [p.as_dict() for p in self.errors], "warnings": [p.as_dict() for p in self.warnings]}


def area_label(area: Area) -> str:
    """ต.ท่าข้าม อ.หาดใหญ่ จ.สงขลา (Bangkok: แขวง/เขต)."""
    parts = []
    for a in [area, *reversed(area.ancestors())]:
        if a.kind in (AreaKind.SUBDISTRICT, AreaKind.DISTRICT, AreaKind.PROVINCE):
            bangkok = a.code.startswith("10")
            prefix = {"subdistrict": "แขวง" if bangkok else "ต.", "district": "เขต" if bangkok else "อ.",
                      "province": "" if bangkok else "จ."}[a.kind]
            parts.append(f"{prefix}{a.name_th}")
    return " ".join(parts)


# --- reading the file ----------------------------------------------------------------------------
def decode_csv(raw: bytes, warnings: list[Problem]) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Thai Windows (TIS-620 / Windows-874), which is
    what Excel on a Thai Windows saves as "CSV"."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRefused("ไฟล์ CSV ระบุการเข้ารหัสไว้ แต่เนื้อหาถอดรหัสไม่ได้ (ไฟล์อาจเสียหาย): "
                                    "กรุณาบันทึกใหม่เป็น CSV UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise ImportRefused("ไฟล์นี้มีไบต์ว่าง (NUL) ไม่ใช่ไฟล์ข้อความ CSV หรือเข้ารหัส UTF-16 โดยไม่มี BOM: "
                            "กรุณาบันทึกเป็น CSV UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = raw.decode("cp874")
    except UnicodeDecodeError:
        text = ""
    if any("\u0e00" <= ch <= "\u0e7f" for ch in text[:4096]):
        warnings.append(Problem("ไฟล์ CSV นี้เข้ารหัสแบบ TIS-620/Windows-874 (ไม่ใช่ UTF-8) จึงอ่านด้วยรหัสภาษาไทยของ Windows"))
        return text
    raise ImportRefused(f"ไฟล์ CSV ต้องเข้ารหัสเป็น UTF-8 (พบไบต์ที่อ่านไม่ได้ที่ตำแหน่ง {utf8_error:,}): "
                        "กรุณาบันทึกเป็น CSV UTF-8")


def _csv_rows(path, warnings, tick):
    with open(path, "rb") as fh:
        text = decode_csv(fh.read(), warnings)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row_no, values in enumerate(reader, start=1):
            tick()
            _check_shape(row_no, values)
            yield row_no, values
    except csv.Error as exc:
        raise ImportRefused(f"อ่านไฟล์ CSV ไม่ได้ที่แถวที่ {reader.line_num:,}: รูปแบบไม่ถูกต้อง "
                            f"(เช่น เครื่องหมายคำพูดไม่ครบคู่ หรือช่องยาวเกินไป) [{exc}]") from None


def _check_shape(row_no, values):
    if row_no > MAX_ROWS and any(v not in (None, "") for v in values):
        raise ImportRefused(f"ไฟล์มีข้อมูลที่แถว {row_no:,} เกิน {MAX_ROWS:,} แถวที่รับได้: แบ่งเป็นหลายไฟล์")
    if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
        raise ImportRefused(f"แถวที่ {row_no:,} มีข้อมูลเกิน {MAX_COLUMNS} คอลัมน์ที่รับได้: ลบคอลัมน์ที่ไม่ใช้ออก")


def _excel_rows(path, tick):
    from oneplan.transfer.excel_import import open_workbook, used_rows

    with open(path, "rb") as fh:
        wb = open_workbook(path, fh)
        try:
            ws = wb.worksheets[0]
            yield from used_rows(ws, ws.title, tick)
        finally:
            wb.close()


def _rows(path, filename, warnings, tick):
    suffix = Path(filename).suffix.lower()
    if suffix in (".csv", ".txt"):
        return _csv_rows(path, warnings, tick)
    if suffix in (".xlsx", ".xlsm"):
        return _excel_rows(path, tick)
    raise ImportRefused("นำเข้าทะเบียน อปท. ได้เฉพาะไฟล์ CSV (.csv) หรือ Excel (.xlsx)")


def header_fields(values) -> dict[str, int]:
    """{field: column index} of a header row, from its Thai or English labels."""
    found = {}
    for i, value in enumerate(values):
        text = normalise(strip_invisible(str(value or ""))).replace(" ", "")
        name = _HEADER_OF.get(text) or _HEADER_OF.get(text.rstrip("."))
        if name and name not in found:
            found[name] = i
    return found


def _cell(values, index) -> str:
    if index is None or index >= len(values) or values[index] is None:
        return ""
    value = values[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_invisible(str(value)).strip()


# --- checking each row ---------------------------------------------------------------------------
class _Reader:
    def __init__(self, scope: Area | None, tick):
        self.result = RegistryImport()
        self.scope, self.tick = scope, tick
        self.columns: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.seen_names: dict[tuple, int] = {}
        self.seen_codes: dict[str, int] = {}
        self.new_keys: set[str] = set()
        self._index()

    def _index(self):
        """Existing LAOs by (name key, province code) and by code; keys taken."""
        self.by_name, self.by_code = {}, {}
        qs = Organisation.objects.filter(kind__in=LAO_KINDS).select_related("area")
        for org in qs:
            if org.area_id:
                self.by_name.setdefault((name_key(org.name_th), org.area.code[:2]), org)
        for org in Organisation.objects.exclude(code=""):
            self.by_code.setdefault(org.code, org)
        self.taken = set(Organisation.objects.values_list("key", flat=True))

    def error(self, message, row=None, column=""):
        self.result.errors.append(Problem(message, row=row, column=self.labels.get(column, LABEL.get(column, ""))))

    def header(self, row_no, values) -> bool:
        fields = header_fields(values)
        if "name" not in fields:
            return False
        self.columns = fields
        self.labels = {f: normalise(str(values[i])) for f, i in fields.items()}
        missing = [LABEL[f] for f in ("name", "province") if f not in fields]
        if missing:
            self.error(f"หัวตารางไม่มีคอลัมน์ {', '.join(missing)}", row_no)
        return True

    def row(self, row_no, values):
        self.cells(row_no, {f: _cell(values, self.columns.get(f)) for f in FIELDS})

    def cells(self, row_no, cells: dict):
        if all(is_blank_text(v) for v in cells.values()):
            return
        before = len(self.result.errors)
        for f, text in cells.items():
            self._check_text(row_no, f, text)
        if len(self.result.errors) > before:
            return
        code = to_arabic_digits(cells["code"]).replace(" ", "")
        if code and (not code.isdigit() or len(code) > 20):
            self.error(f"รหัส “{cells['code']}” ต้องเป็นตัวเลขไม่เกิน 20 หลัก", row_no, "code")
            return
        kind, name = self._kind_and_name(row_no, cells)
        if kind is None:
            return
        place = find_place(cells["province"], cells["district"], cells["subdistrict"])
        if not place.ok:
            self.error(place.problem, row_no, place.column)
            return
        if not self._in_scope(row_no, place) or not self._level_ok(row_no, kind, place, cells):
            return
        area = place.area
        if self._duplicate(row_no, code, name, place.province):
            return
        self._match(row_no, code, name, kind, area, place.province)

    def _check_text(self, row_no, f, text):
        if is_formula_like(text):
            self.error(f"“{text[:40]}” ขึ้นต้นด้วย = + - หรือ @ ซึ่งโปรแกรมตารางคำนวณจะถือเป็นสูตร จึงไม่รับ "
                       "(ลบเครื่องหมายนั้นออก)", row_no, f)
        elif has_control_chars(text, single_line=True):
            self.error("มีอักขระควบคุมหรือการขึ้นบรรทัดใหม่ ซึ่งใช้ในช่องนี้ไม่ได้", row_no, f)
        elif len(text) > MAX_FIELD:
            self.error(f"ข้อความยาว {len(text):,} ตัวอักษร เกิน {MAX_FIELD} ตัวอักษร", row_no, f)

    def _kind_and_name(self, row_no, cells):
        if not cells["name"]:
            self.error("ไม่มีชื่อ อปท.", row_no, "name")
            return None, ""
        said = kind_from_name(cells["name"])
        if cells["kind"]:
            kind = parse_kind(cells["kind"])
            if kind is None or kind not in LAO_KINDS:
                self.error(f"ไม่รู้จักประเภท “{cells['kind']}” (ใช้ได้: {KIND_NAMES})", row_no, "kind")
                return None, ""
            if said and said != kind:
                self.error(f"ชื่อ “{cells['name']}” เป็น{OrgKind(said).label} แต่ประเภทระบุว่าเป็น{OrgKind(kind).label}",
                           row_no, "kind")
                return None, ""
        elif said:
            kind = said
        else:
            self.error(f"ไม่ทราบประเภทของ “{cells['name']}”: ใส่คอลัมน์ประเภท ({KIND_NAMES})", row_no, "kind")
            return None, ""
        from .names import full_name

        return kind, full_name(kind, cells["name"]) if kind != OrgKind.SPECIAL_LAO else expand(cells["name"])

    def _in_scope(self, row_no, place) -> bool:
        if self.scope is None or place.province == self.scope:
            return True
        self.error(f"{place.province.display_name} ไม่อยู่ในความดูแลของคุณ (นำเข้าได้เฉพาะ{self.scope.display_name})",
                   row_no, "province")
        return False

    def _level_ok(self, row_no, kind, place, cells) -> bool:
        need = _NEEDS.get(kind)
        if need and not cells[need] and not (need == "district" and cells["subdistrict"]):
            self.error(f"{OrgKind(kind).label} ต้องระบุ{LABEL[need]}ที่ตั้ง", row_no, need)
            return False
        return True

    def _duplicate(self, row_no, code, name, province) -> bool:
        key = (name_key(name), province.code)
        if key in self.seen_names:
            self.error(f"“{name}” {province.display_name} ซ้ำกับแถวที่ {self.seen_names[key]} (อปท. เดียวกัน)",
                       row_no, "name")
            return True
        if code and code in self.seen_codes:
            self.error(f"รหัส {code} ใช้ซ้ำกับแถวที่ {self.seen_codes[code]}", row_no, "code")
            return True
        self.seen_names[key] = row_no
        if code:
            self.seen_codes[code] = row_no
        return False

    def _match(self, row_no, code, name, kind, area, province):
        by_code = self.by_code.get(code) if code else None
        by_name = self.by_name.get((name_key(name), province.code))
        if by_code is not None and by_name is not None and by_code != by_name:
            self.error(f"รหัส {code} เป็นของ “{by_code.name_th}” อยู่แล้ว ไม่ใช่ “{name}”", row_no, "code")
            return
        # the same code under another name is the same body renamed (อบต. become เทศบาลตำบล) only in its own area
        if by_code is not None and by_name is None and (by_code.kind not in LAO_KINDS or by_code.area_id != area.pk):
            self.error(f"รหัส {code} เป็นของ “{by_code.name_th}” อยู่แล้ว", row_no, "code")
            return
        org = by_code or by_name
        if org is None:
            self.result.rows.append(RegistryRow(row_no, "create", code, name, kind, area))
            return
        changes = {}
        if name_key(org.name_th) != name_key(name):
            changes["name_th"] = [org.name_th, name]
        if org.kind != kind:
            changes["kind"] = [org.kind, kind]
        if org.area_id != area.pk:
            changes["area"] = [org.area.code if org.area_id else None, area.code]
        if code and org.code != code:
            changes["code"] = [org.code, code]
        self.result.rows.append(RegistryRow(row_no, "update" if changes else "skip", code, name, kind, area, org,
                                            changes))

    def new_key(self, row: RegistryRow) -> str:
        base = f"lao-{row.code}" if row.code else f"lao-{row.area.code}-{row.kind.replace('_', '-')}"
        key, n = base, 1
        while key in self.taken:
            n += 1
            key = f"{base}-{n}"
        self.taken.add(key)
        return key


def read_registry(path, *, filename: str = "", scope: Area | None = None, tick=None) -> RegistryImport:
    """Read and check the whole file (never raises: problems come back in Thai, with row and column)."""
    from oneplan.transfer.services import size_problem

    tick = tick or TimeBudget()
    reader = _Reader(scope, tick)
    try:
        problem = size_problem(os.path.getsize(path))
        if problem:
            raise ImportRefused(problem)
        # the whole file is read (and its size checked) before any row is matched
        rows = list(_rows(path, filename or str(path), reader.result.warnings, tick))
        for row_no, values in rows:
            tick()
            if not reader.columns:
                if reader.header(row_no, values) or row_no < 20:
                    continue
                break
            reader.row(row_no, values)
    except ImportRefused as exc:
        reader.result.errors.append(exc.problem)
        return reader.result
    except FileNotFoundError:
        reader.result.errors.append(Problem(f"ไม่พบไฟล์ “{filename or path}”"))
        return reader.result
    if not reader.columns and not reader.result.errors:
        reader.result.errors.append(Problem("ไม่พบหัวตาราง: ต้องมีคอลัมน์ “ชื่อ อปท.” และ “จังหวัด” "
                                            "(และ รหัส ประเภท อำเภอ ตำบล ตามแบบของกรมส่งเสริมการปกครองท้องถิ่น)"))
    elif not reader.result.rows and not reader.result.errors:
        reader.result.errors.append(Problem("ไม่พบรายการ อปท. ในไฟล์ (มีแต่หัวตาราง)"))
    reader.result.reader = reader
    return reader.result


def read_cells(rows: list[dict], *, scope: Area | None = None) -> RegistryImport:
    """Rows given as {field: text} (the registration form): the same checks as a file's rows."""
    reader = _Reader(scope, TimeBudget())
    for n, cells in enumerate(rows, start=1):
        reader.cells(n, {f: strip_invisible(str(cells.get(f) or "")).strip() for f in FIELDS})
    reader.result.reader = reader
    return reader.result


def commit_registry(result: RegistryImport, user=None) -> bool:
    """Write what the preview lists, all or nothing; a result with problems writes nothing."""
    if not result.ok:
        return False
    reader = result.reader
    with transaction.atomic():
        for row in result.of("create"):
            row.org = Organisation.objects.create(key=reader.new_key(row), code=row.code, kind=row.kind,
                                                  name_th=row.name_th, area=row.area)
        for row in result.of("update"):
            org = row.org
            if "name_th" in row.changes:
                org.name_th = row.name_th
            org.kind, org.area, org.code = row.kind, row.area, row.code or org.code
            org.save()
        _audit(result, user)
    return True


def _audit(result, user):
    from oneplan.governance.models import AuditAction, AuditEntry

    created, updated = len(result.of("create")), len(result.of("update"))
    if created or updated:
        AuditEntry.objects.create(user=user if getattr(user, "is_authenticated", False) else None,
                                  action=AuditAction.CREATE, model="organisations.organisation",
                                  object_repr="ทะเบียน อปท.",
                                  message=f"นำเข้าทะเบียน อปท.: สร้าง {created} แก้ไข {updated} ข้าม "
                                          f"{len(result.of('skip'))} รายการ",
                                  changes={"created": [r.org.key for r in result.of("create")],
                                           "updated": [r.org.key for r in result.of("update")]})
