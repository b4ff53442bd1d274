"""Read a LAO local development plan from its Excel forms (ผ.02, ผ.02/1, ผ.02/2, ผ.03, ผ.01).

The workbook is streamed (openpyxl read_only): rows are classified one by one, headers and columns
are found by their Thai labels wherever they are, and what is read is kept as light records. At the
end the records become interchange data (builder.PlanBuilder) for plans.interchange.load_plan."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from oneplan.core.excel import exported_at
from oneplan.core.thai import (
    MAX_BE_YEAR,
    MIN_BE_YEAR,
    ThaiValueError,
    normalise,
    parse_amount,
    to_arabic_digits,
)
from oneplan.organisations.places import lao_in_heading

from . import duplicates, linkage
from .builder import PlanBuilder
from .editions import Edition, parse_edition, parse_period
from .limits import MAX_COLUMNS, MAX_ROWS, TimeBudget, check_zip
from .problems import ImportRefused, ImportResult
from .target import find_plan, lao_owner_in, resolve_target

_FORM_RE = re.compile(r"ผ\s*\.?\s*0?([123])(?:\s*[/-]\s*([12]))?(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")
_TEXT_FIELDS = ("objective", "output_target", "kpi_text", "expected_result", "responsible_unit", "location")


@lru_cache(maxsize=4096, typed=True)
def header_field(value) -> str | None:
    """The column a header cell labels, from its Thai text (spaces and line breaks ignored). Every text
    cell of every row is asked (a header may start anywhere), and the cells of a column repeat ("กองช่าง",
    "ร้อยละความพึงพอใจ"): cached, so each distinct text is normalised once (bounded, a file's titles differ)."""
    text = normalise(str(value)).replace(" ", "")
    if text in ("ที่", "ลำดับ", "ลำดับที่"):
        return "seq"
    for prefix, name in (("เป้าหมาย", "output_target"), ("วัตถุประสงค์", "objective"), ("งบประมาณ", "budget"),
                         ("ผลที่คาดว่า", "expected_result"), ("หน่วยงาน", "responsible_unit"),
                         ("แผนงาน", "programme"), ("ยุทธศาสตร์", "issue"), ("สถานที่", "location"),
                         ("ประเภท", "type"), ("หมวด", "category"), ("จำนวนโครงการ", "count")):
        if text.startswith(prefix):
            return name
    if "ตัวชี้วัด" in text or text.startswith("kpi"):
        return "kpi_text"
    if text.startswith("โครงการ") or text.startswith("ชื่อโครงการ"):
        return "title"
    return None


def year_in(value) -> int | None:
    match = _YEAR_RE.search(to_arabic_digits(str(value)))
    year = int(match.group(1)) if match else None
    return year if year and MIN_BE_YEAR <= year <= MAX_BE_YEAR else None


@dataclass
class Ctx:
    """One structural line of the linkage header (ยุทธศาสตร์, กลยุทธ์, แผนงาน) as read."""
    line: linkage.Line
    sheet: str
    row: int
    parent: Ctx | None = None
    links: list = field(default_factory=list)     # (Line, sheet, row) of the framework lines


@dataclass
class ProjectRow:
    sheet: str
    row: int
    ctx: Ctx | None
    title: str
    fields: dict
    budgets: dict[int, Decimal]
    source: str
    code: str = ""
    issue: Ctx | None = None


@dataclass
class SummaryRow:
    sheet: str
    row: int
    kind: str                   # issue | programme | subtotal | total
    text: str
    values: dict                # year → (count, amount, count column, amount column)


def open_workbook(path, fh):
    """Open for streaming, or refuse with a Thai reason before anything else is read."""
    fh.seek(0)
    head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        blob = head + fh.read(2_000_000)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise ImportRefused("ไฟล์ Excel นี้ตั้งรหัสผ่านไว้ กรุณาเปิดใน Excel แล้วเอารหัสผ่านออก (ไฟล์ › ข้อมูล › ป้องกันเวิร์กบุ๊ก) ก่อนนำเข้า")
        raise ImportRefused("ไฟล์เป็น Excel รุ่นเก่า (.xls) กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx ก่อนนำเข้า")
    if not head.startswith(b"PK"):
        raise ImportRefused("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาเลือกไฟล์แบบ ผ.01/ผ.02 ที่บันทึกจาก Excel")
    check_zip(fh, " Excel ")
    try:  # from a file object, so an upload saved under any temporary name is read the same way
        return load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, InvalidFileException) as exc:
        raise ImportRefused(f"ไฟล์ Excel เสียหายหรือไม่สมบูรณ์ เปิดอ่านไม่ได้ ({type(exc).__name__}) "
                            "กรุณาเปิดใน Excel แล้วบันทึกใหม่") from None


def used_rows(ws, name: str, tick):
    """(row number, values) of the rows that hold something. The sheet's own dimension (which a 6 KB
    file can set to A1:XFD1048576) is not trusted: rows are read as stored, missing rows cost nothing,
    and a value beyond MAX_ROWS rows or MAX_COLUMNS columns refuses the file with the sheet's name."""
    ws.reset_dimensions()
    for row_no, values in enumerate(ws.iter_rows(values_only=True), start=1):
        tick()
        if not values:
            continue
        if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
            col = next(i for i, v in enumerate(values, start=1) if i > MAX_COLUMNS and v not in (None, ""))
            raise ImportRefused(f"แผ่นงาน “{name}” มีข้อมูลที่เซลล์ {get_column_letter(col)}{row_no} เกิน "
                                f"{MAX_COLUMNS} คอลัมน์ที่รับได้: ลบเซลล์ที่ไม่ใช้ออก (หรือคัดลอกเฉพาะตารางไปแผ่นงานใหม่) "
                                "แล้วบันทึกใหม่")
        if row_no > MAX_ROWS and any(v not in (None, "") for v in values):
            raise ImportRefused(f"แผ่นงาน “{name}” มีข้อมูลที่แถว {row_no:,} เกิน {MAX_ROWS:,} แถวที่รับได้: "
                                "ลบแถวที่ไม่ใช้ออก หรือแบ่งเป็นหลายไฟล์")
        yield row_no, values[:MAX_COLUMNS]


class SheetReader:
    """Reads one sheet row by row into the importer's records."""

    def __init__(self, importer: ExcelImporter, ws, name: str):
        self.imp, self.ws, self.name = importer, ws, name
        self.form = self._form_from(name)
        self.source = "lao_own"
        self.header: dict[int, str] = {}
        self.years: dict[int, int] = {}
        self.budget_span: tuple[int, int] | None = None
        self.sub_rows = 0
        self.summary = False
        self.issue = self.strategy = self.programme = None
        self.pending_links: list = []
        self.block_closed = False
        self.last_project: ProjectRow | None = None
        self.extra_columns: list[str] = []
        self.heading: list[str] = []
        self._ctx_cache: dict = {}

    @staticmethod
    def _form_from(text) -> str:
        match = _FORM_RE.search(normalise(str(text)))
        if not match:
            return ""
        return f"ผ.0{match.group(1)}" + (f"/{match.group(2)}" if match.group(2) else "")

    def read(self):
        for row_no, values in used_rows(self.ws, self.name, self.imp.tick):
            cells = [(i, v) for i, v in enumerate(values, start=1) if v is not None and str(v).strip() != ""]
            if cells:
                self.row(row_no, cells)
        if not self.header and not self.summary:
            self.imp.sheet_without_table(self)

    # --- classification ------------------------------------------------------------------------
    def row(self, row_no: int, cells: list):
        if self.sub_rows:
            self.sub_rows -= 1
            if self._sub_header(row_no, cells):
                return
        fields = {i: header_field(v) for i, v in cells if isinstance(v, str)}
        named = set(fields.values())
        if ("title" in named or "type" in named) and "budget" in named:
            return self._table_header(row_no, cells, fields)
        if "issue" in named and sum(1 for _, v in cells if year_in(v)) >= 2 and "title" not in named:
            return self._summary_header(row_no, cells)
        if self.summary:
            return self._summary_row(row_no, cells)
        if self.header and self._is_project(cells):
            return self._project(row_no, cells)
        text = " ".join(str(v).strip() for _, v in cells if isinstance(v, str))
        if not text:
            return
        if normalise(text).startswith("รวม"):
            return
        line = linkage.classify(text) if self.header or not self._looks_like_heading(text) else None
        if line is not None:
            return self._context(line, row_no)
        if self.header and self.last_project is not None and not self.block_closed:
            return self._continuation(cells)
        if not self.header:
            self.heading.append(text)
            self.form = self.form or self._form_from(text)
            self._source_from(text)

    @staticmethod
    def _looks_like_heading(text: str) -> bool:
        norm = normalise(text)
        return norm.startswith("แผนพัฒนา") or norm.startswith("รายละเอียด") or norm.startswith("บัญชี")

    def _source_from(self, text: str):
        norm = normalise(text).replace(" ", "")
        if "ประสาน" in norm and ("องค์การบริหารส่วนจังหวัด" in norm or "อบจ" in norm):
            self.source = "pao"
        elif "ประสานโครงการพัฒนาจังหวัด" in norm:
            self.source = "province"

    # --- headers -------------------------------------------------------------------------------
    def _table_header(self, row_no, cells, fields):
        self.header = {i: f for i, f in fields.items() if f}
        self.years = {}
        self.extra_columns = [get_column_letter(i) for i, v in cells if isinstance(v, str) and not fields.get(i)]
        starts = sorted(self.header)
        budget_cols = [i for i, f in self.header.items() if f == "budget"]
        after = [i for i in starts if i > max(budget_cols) and self.header[i] != "budget"]
        self.budget_span = (min(budget_cols), (min(after) - 1) if after else 10_000)
        for i, v in cells:
            year = year_in(v) if self.budget_span[0] <= i <= self.budget_span[1] else None
            if year:
                self.years[i] = year
                self.header[i] = "budget"
        self.imp.header_rows.append((self.name, row_no, dict(self.years)))
        self.sub_rows = 2
        self.block_closed = True
        self.last_project = None

    def _sub_header(self, row_no, cells) -> bool:
        """The second header row: the years under งบประมาณ ('2566', '๒๕๖๗', '(บาท)')."""
        if self.summary:
            found = False
            for i, v in cells:
                if header_field(v) == "count":
                    self.summary_cols[i] = "count"
                    found = True
                elif isinstance(v, str) and "งบประมาณ" in v:
                    self.summary_cols[i] = "amount"
                    found = True
            return found
        lo, hi = self.budget_span
        years = {i: year_in(v) for i, v in cells if lo <= i <= hi and year_in(v)}
        if not years and not all(isinstance(v, str) and "บาท" in v for _, v in cells):
            return False
        for i, year in years.items():
            self.years[i] = year
            self.header[i] = "budget"
        if years:
            self.imp.header_rows[-1] = (self.name, row_no, dict(self.years))
        return True

    def _summary_header(self, row_no, cells):
        self.summary, self.form = True, self.form or "ผ.01"
        self.summary_years = {i: year_in(v) for i, v in cells if year_in(v)}
        self.summary_cols: dict[int, str] = {}
        self.sub_rows = 1

    # --- rows ----------------------------------------------------------------------------------
    def _col(self, cells, name):
        for i, v in cells:
            if self.header.get(i) == name:
                return v
        return None

    def _is_project(self, cells) -> bool:
        title = self._col(cells, "title") or self._col(cells, "type") or self._col(cells, "output_target")
        if title is None or normalise(str(title)).startswith("รวม"):
            return False
        seq = self._col(cells, "seq")
        has_budget = any(i in self.years for i, _ in cells)
        return seq is not None or has_budget

    def _project(self, row_no, cells):
        title = self._col(cells, "title")
        fields = {f: str(self._col(cells, f)).strip() for f in _TEXT_FIELDS if self._col(cells, f) is not None}
        if title is None:  # ผ.03: the equipment is named by its type and target
            title = self._col(cells, "output_target") or self._col(cells, "type")
        budgets = {}
        for i, v in cells:
            if i in self.years:
                try:
                    budgets[self.years[i]] = budgets.get(self.years[i], Decimal(0)) + parse_amount(
                        v, f"งบประมาณปี {self.years[i]}")
                except ThaiValueError as exc:
                    self.imp.result.error(str(exc), self.name, row_no, get_column_letter(i))
        ctx = self._row_context(cells, row_no)
        project = ProjectRow(self.name, row_no, ctx, str(title).strip(), fields, budgets, self.source)
        self.imp.projects.append(project)
        self.last_project, self.block_closed = project, True

    def _row_context(self, cells, row_no) -> Ctx | None:
        """The table's own ยุทธศาสตร์/แผนงาน columns (ผ.03) override the header above it."""
        ctx = self.programme or self.strategy or self.issue
        issue_name, prog_name = self._col(cells, "issue"), self._col(cells, "programme")
        if issue_name:
            ctx = self._cached_ctx("issue", str(issue_name), None, row_no)
        if prog_name:
            ctx = self._cached_ctx("programme", str(prog_name), ctx, row_no)
        return ctx

    def _cached_ctx(self, kind, name, parent, row_no) -> Ctx:
        key = (kind, normalise(name), id(parent))
        if key not in self._ctx_cache:
            line = linkage.classify(name) if kind == "issue" else None
            line = line if line and line.kind == kind else linkage.Line(kind, "", name.strip())
            if kind == "programme" and not normalise(line.name).startswith("แผนงาน"):
                line = linkage.Line(kind, "", "แผนงาน" + line.name)
            self._ctx_cache[key] = Ctx(line, self.name, row_no, parent)
        return self._ctx_cache[key]

    def _continuation(self, cells):
        """A project written over several rows: the text of the next rows belongs to it."""
        for i, v in cells:
            name = self.header.get(i)
            if name in _TEXT_FIELDS:
                old = self.last_project.fields.get(name, "")
                self.last_project.fields[name] = f"{old}\n{str(v).strip()}".strip()
            elif name == "title":
                self.last_project.title = f"{self.last_project.title} {str(v).strip()}"

    def _context(self, line: linkage.Line, row_no: int):
        if line.kind in linkage.TARGET_LABELS:
            if self.block_closed:          # a new block begins: its chain is read afresh
                self.issue = self.strategy = self.programme = None
                self.pending_links, self.block_closed = [], False
            ref = (line, self.name, row_no)
            (self.issue.links if self.issue else self.pending_links).append(ref)
            return
        self.block_closed = False
        if line.kind == "issue":
            self.issue = Ctx(line, self.name, row_no, None, self.pending_links)
            self.pending_links, self.strategy, self.programme = [], None, None
        elif line.kind == "strategy":
            self.strategy, self.programme = Ctx(line, self.name, row_no, self.issue), None
        else:
            self.programme = Ctx(line, self.name, row_no, self.strategy or self.issue)

    def _summary_row(self, row_no, cells):
        text = next((str(v).strip() for _, v in cells if isinstance(v, str)), "")
        if not text:
            return
        norm = normalise(text)
        kind = ("total" if norm.startswith("รวม") and ("ทั้งสิ้น" in norm or "ทั้งหมด" in norm)
                else "subtotal" if norm.startswith("รวม") else "programme" if "แผนงาน" in norm else "issue")
        values = {}
        for year_col, year in sorted(self.summary_years.items()):
            cols = [c for c in sorted(self.summary_cols) if c >= year_col][:2]
            count_col = next((c for c in cols if self.summary_cols[c] == "count"), year_col)
            amount_col = next((c for c in cols if self.summary_cols[c] == "amount"), year_col + 1)
            got = dict(cells)
            try:
                count = int(parse_amount(got.get(count_col), "จำนวนโครงการ"))
                amount = parse_amount(got.get(amount_col), "งบประมาณ")
            except ThaiValueError as exc:
                self.imp.result.warn(str(exc), self.name, row_no)
                continue
            values[year] = (count, amount, get_column_letter(count_col), get_column_letter(amount_col))
        self.imp.summary.append(SummaryRow(self.name, row_no, kind, text, values))


class ExcelImporter:
    def __init__(self, path, *, plan=None, owner=None, filename: str = "", tick=None):
        self.path, self.plan, self.owner = path, find_plan(plan), owner
        self.tick = tick or TimeBudget()
        self.filename = filename or str(path)
        self.result = ImportResult(source="excel")
        self.projects: list[ProjectRow] = []
        self.summary: list[SummaryRow] = []
        self.header_rows: list = []
        self.headings: list[str] = []
        self.table_sheets = 0
        self._owner_why = ""

    def _read_sheets(self, wb):
        for ws in wb.worksheets:
            reader = SheetReader(self, ws, ws.title)
            reader.read()
            self.headings += reader.heading
            self.table_sheets += bool(reader.header)
            if reader.extra_columns:
                self.result.warn(f"ข้ามคอลัมน์ที่ไม่รู้จัก {', '.join(reader.extra_columns)}", ws.title)

    def sheet_without_table(self, reader: SheetReader):
        if reader.form or reader.heading:
            self.result.error("ไม่พบหัวตาราง (ต้องมีคอลัมน์ “ที่” “โครงการ” และ “งบประมาณ” หรือ ผ.01 "
                              "“ยุทธศาสตร์” กับปี พ.ศ.) จึงอ่านแผ่นงานนี้ไม่ได้", reader.name)

    def run(self) -> ImportResult:
        with open(self.path, "rb") as fh:
            try:
                wb = open_workbook(self.path, fh)
            except ImportRefused as exc:
                self.result.errors.append(exc.problem)
                return self.result
            self.result.exported_at = exported_at(wb)
            try:
                self._read_sheets(wb)
            except ImportRefused as exc:
                self.result.errors.append(exc.problem)
                return self.result
            except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
                self.result.error(f"ไฟล์ Excel เสียหาย อ่านต่อไม่ได้ ({type(exc).__name__}) กรุณาเปิดใน Excel แล้วบันทึกใหม่")
                return self.result
            finally:
                wb.close()
        if not self.table_sheets and not self.result.errors:
            self.result.error("ไม่พบตารางโครงการแบบ ผ.02 ในไฟล์นี้ (ต้องมีหัวตาราง “ที่ · โครงการ · งบประมาณ”)")
        if self.result.errors:
            return self.result
        self._build()
        return self.result

    # --- from records to interchange data --------------------------------------------------------
    def _plan_heading(self) -> tuple[str, Edition]:
        title = next((h for h in self.headings if normalise(h).startswith("แผนพัฒนา")), "")
        return title, parse_edition(title)

    def _build(self):
        title, edition = self._plan_heading()
        start, end = parse_period(title)
        if self.plan is not None and start and (start, end) != (self.plan.start_year, self.plan.end_year):
            # listed beside what was read: the rest of the file is still read and shown
            self.result.error(f"ช่วงปีของแผนในไฟล์ (พ.ศ. {start}–{end}) ไม่ตรงกับแผนที่เลือก "
                              f"(พ.ศ. {self.plan.start_year}–{self.plan.end_year})")
        if self.plan is not None:
            start, end = self.plan.start_year, self.plan.end_year
        years = sorted({y for _, _, ys in self.header_rows for y in ys.values()})
        if not start and years:
            start, end = years[0], years[-1]
        self._check_years(start, end)
        owner = self._owner()
        if owner is None and self.plan is None and not self.owner:
            self.result.error("ไม่ทราบหน่วยงานเจ้าของแผน: ระบุหน่วยงาน (--owner) หรือเลือกแผนที่จะนำเข้า "
                              "หรือใส่ชื่อ อปท. พร้อมตำบล อำเภอ จังหวัด ในหัวกระดาษของแบบ ผ.02"
                              + (f" ({self._owner_why})" if self._owner_why else ""))
        if not title:
            title = f"แผนพัฒนาท้องถิ่น (พ.ศ. {start} – {end})"
        if owner is not None and normalise(owner.name_th) not in normalise(title):
            title = f"{title} {owner.name_th}"
        target = resolve_target(plan=self.plan, owner=owner, kind="lao_local", title=title, start=start,
                                end=end, edition=edition)
        self.target = target
        province = owner.province() if owner is not None and owner.area_id else None
        self.resolver = linkage.Resolver(province=province, year=start)
        self.builder = PlanBuilder(target.existing)
        self._codes: dict[int, str] = {}
        self._link_cache: dict = {}
        for project in self.projects:
            self.tick()
            self._add_project(project)
        duplicates.flag(self.projects, self.result)
        self._check_summary()
        self.result.data = {"format": "oneplan-plan/1", "plan": target.meta, "elements": self.builder.elements()}

    def _owner(self):
        if self.plan is not None:
            return self.plan.owner
        if self.owner:
            from oneplan.organisations.models import Organisation

            org = Organisation.objects.filter(key=self.owner).first()
            if org is None:
                self.result.error(f"ไม่พบหน่วยงานรหัส “{self.owner}”")
            return org
        found = lao_owner_in(self.headings)
        if found is None:   # not in the registry yet: created with the plan, when geothai knows its place
            self.result.new_owner, self._owner_why = lao_in_heading(self.headings)
            return self.result.new_owner.unsaved() if self.result.new_owner else None
        return found

    def _check_years(self, start, end):
        if not start:
            return
        for sheet, row, years in self.header_rows:
            for col, year in years.items():
                if not start <= year <= end:
                    self.result.error(f"ปีงบประมาณ {year} อยู่นอกช่วงของแผน (พ.ศ. {start}–{end})", sheet, row,
                                      get_column_letter(col))

    def _code_of(self, ctx: Ctx) -> str | None:
        if id(ctx) in self._codes:
            return self._codes[id(ctx)]
        parent = self._code_of(ctx.parent) if ctx.parent else None
        line = ctx.line
        if line.kind != "issue" and parent is None:
            self.result.error(f"“{line.name}” ไม่มียุทธศาสตร์อยู่เหนือ (ต้องมีแถว “ยุทธศาสตร์ …” ก่อน)",
                              ctx.sheet, ctx.row)
            parent = self.builder.structure("issue", "ยุทธศาสตร์ที่ไม่ระบุ", None, "0")
        code = self.builder.structure(line.kind, line.name or line.number, parent, self._hint(line, parent))
        self._codes[id(ctx)] = code
        refs = [ref for ref in (self._link(*x) for x in ctx.links) if ref]
        if code in self.builder.existing:   # re-import: the chain written out (ผ.02 export) adds no link
            refs = linkage.drop_reached(refs, self.builder.existing[code]["links"])
        if refs:
            self.builder.add_links(code, refs)
        return code

    @staticmethod
    def _hint(line: linkage.Line, parent: str | None) -> str | None:
        if line.kind == "issue":
            return line.number.split(".")[0] or None
        if line.kind == "strategy":
            if "." in line.number:
                return line.number
            return f"{parent}.{line.number}" if line.number else None
        number = linkage.programme_number(line.name)
        return f"{parent}-P{number:02d}" if number else None

    def _link(self, line: linkage.Line, sheet: str, row: int) -> dict | None:
        key = (line.kind, line.number, normalise(line.name))
        if key not in self._link_cache:
            element, reason = self.resolver.resolve(line)
            self._link_cache[key] = ({"plan": element.plan.key, "code": element.code} if element else None, reason)
        ref, reason = self._link_cache[key]
        if ref is None:
            self.result.error(reason, sheet, row)
        return ref

    def _add_project(self, project: ProjectRow):
        if project.ctx is None:
            self.result.error("ไม่ทราบว่าโครงการนี้อยู่ภายใต้ยุทธศาสตร์/แผนงานใด (ไม่มีแถวหัว “ยุทธศาสตร์ …” "
                              "หรือ “แผนงาน …” เหนือตาราง)", project.sheet, project.row)
            return
        if not project.title:
            self.result.error("ไม่มีชื่อโครงการ", project.sheet, project.row)
            return
        parent = self._code_of(project.ctx)
        project.code = self.builder.project(project.title, parent, project.fields, project.budgets, project.source)
        project.issue = self._issue_of(project.ctx)

    def _issue_of(self, ctx: Ctx) -> Ctx:
        while ctx.parent is not None:
            ctx = ctx.parent
        return ctx

    def _check_summary(self):
        from .summary import check_summary

        check_summary(self.summary, self.projects, self.result)
