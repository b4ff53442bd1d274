"""Excel workbooks people can open and file: Sarabun font, Thai headers, พ.ศ. years, exact amounts.

Every cell and CSV field written from our data goes through `put` / `csv_row` (or `neutralise`):
text typed by anyone (an anonymous comment's proposed project, an element title) must never become a
live spreadsheet formula (CSV / formula injection, OWASP)."""
import re
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FONT = "TH Sarabun New"  # Thai offices' standard face; falls back to Sarabun where installed
BODY = Font(name=FONT, size=14)
BOLD = Font(name=FONT, size=14, bold=True)
TITLE = Font(name=FONT, size=16, bold=True)
THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")
WRAP = Alignment(wrap_text=True, vertical="top")
AMOUNT_FORMAT = "#,##0.00"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")  # "-1500.00" is an amount, not a formula


def is_formula_like(value) -> bool:
    """Text a spreadsheet would run (or parse) as a formula: starts with = + - @ tab or CR."""
    return (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not PLAIN_NUMBER.fullmatch(value))


def neutralise(value):
    """For CSV: formula-like text gets a leading apostrophe, which spreadsheets show as text and do
    not evaluate. Numbers, dates, empty values and ordinary text are returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def _csv_field(value):
    # A bare CR inside a field is not quoted by a writer whose line ending is "\n", and a spreadsheet
    # starts a new row there, so the text after it would begin a cell: keep line breaks as "\n".
    value = neutralise(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def csv_row(values) -> list:
    """One CSV row of our data: formula-like text neutralised, line breaks kept inside their field."""
    return [_csv_field(v) for v in values]


def csv_dict(row: dict) -> dict:
    return {k: _csv_field(v) for k, v in row.items()}


def put(ws, row: int, column: int, value):
    """Write one cell. Formula-like text is stored as a string cell with Excel's quote prefix: shown
    exactly as typed, never evaluated (not even after editing the cell), and read back unchanged by
    our importers. Numbers stay numbers."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


EXPORTER = "OnePlan"


def new_workbook() -> Workbook:
    """A workbook we export. Its author is OnePlan and its creation time the export time (openpyxl's
    default): Excel and LibreOffice keep both when a person edits and saves, so an import can tell a
    stale export from a fresh one (transfer.services.stale_file_warning)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = EXPORTER
    return wb


def exported_at(wb):
    """When OnePlan exported this workbook (timezone-aware UTC), or None if it is not one of ours."""
    props = wb.properties
    if props.creator != EXPORTER or props.created is None:
        return None
    from datetime import UTC

    created = props.created
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def write_title(ws, row: int, text: str, width: int) -> int:
    put(ws, row, 1, text).font = TITLE
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    return row + 1


def write_header(ws, row: int, headers: list[str], widths: list[int] | None = None) -> int:
    for col, text in enumerate(headers, start=1):
        cell = put(ws, row, col, text)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if widths:
            ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    return row + 1


def write_row(ws, row: int, values: list, amount_columns=()) -> int:
    for col, value in enumerate(values, start=1):
        cell = put(ws, row, col, value)
        cell.font, cell.border, cell.alignment = BODY, BOX, WRAP
        if col in amount_columns and value is not None:
            cell.number_format = AMOUNT_FORMAT
    return row + 1


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
