"""Excel workbooks people can open and file: Sarabun font, Thai headers, พ.ศ. years, exact amounts."""
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


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def write_title(ws, row: int, text: str, width: int) -> int:
    ws.cell(row=row, column=1, value=text).font = TITLE
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    return row + 1


def write_header(ws, row: int, headers: list[str], widths: list[int] | None = None) -> int:
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if widths:
            ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    return row + 1


def write_row(ws, row: int, values: list, amount_columns=()) -> int:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
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
