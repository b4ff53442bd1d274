"""Write any plan out: full-fidelity JSON (plans.interchange.dump_plan), CSV open data, and Excel in
the ผ.01, ผ.02, ผ.02/1, ผ.03 and ยท.01 layouts (core.excel: Thai headers, TH Sarabun, พ.ศ. years, exact
amounts), each sheet set up to print on A4 landscape as the forms are filed.
The ผ.02 export is laid out so that the Excel importer reads it back."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal

from openpyxl.worksheet.page import PageMargins

from oneplan.core import excel
from oneplan.plans.editions import in_force_q
from oneplan.plans.graph import inherited_links, target_label
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import Element, Plan, ProjectCategory
from oneplan.plans.totals import LinkIndex
from oneplan.plans.tree import build_tree, flatten

FORMATS = {"json": ("application/json", "json"), "csv": ("text/csv; charset=utf-8", "csv"),
           "xlsx-p01": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "xlsx-p02": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "xlsx-p02-1": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "xlsx-p03": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
           "xlsx-yt01": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}
FORM_NAMES = {"xlsx-p01": "ผ.01", "xlsx-p02": "ผ.02", "xlsx-p02-1": "ผ.02/1", "xlsx-p03": "ผ.03",
              "xlsx-yt01": "ยท.01", "json": "json", "csv": "csv"}
# The linkage header of ผ.02 / columns of ยท.01, highest plan first: (label, plan kinds or frameworks).
CHAIN = [("ก. ยุทธศาสตร์ชาติ", {"national_strategy"}), ("ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", {"master_plan"}),
         ("ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", {"nesdp"}), ("ง. ยุทธศาสตร์การพัฒนาจังหวัด", {"provincial"}),
         ("จ. ยุทธศาสตร์การพัฒนาของ อปท.ในเขตจังหวัด", {"lao_province_strategy"})]
NUMBER_WORD = {"national_strategy": "ยุทธศาสตร์ที่", "master_plan": "ประเด็นที่", "nesdp": "หมุดหมายที่",
               "provincial": "ยุทธศาสตร์ที่", "lao_province_strategy": "ยุทธศาสตร์ที่"}


def filename(plan: Plan, fmt: str) -> str:
    return f"{plan.key}-{FORM_NAMES[fmt]}.{FORMATS[fmt][1]}".replace("/", "-")


def export(plan: Plan, fmt: str) -> bytes:
    if fmt == "json":
        return to_json(plan).encode("utf-8")
    if fmt == "csv":
        return to_csv(plan)
    wb = {"xlsx-p01": p01, "xlsx-p02": p02, "xlsx-p02-1": p02_1, "xlsx-p03": p03, "xlsx-yt01": yt01}[fmt](plan)
    for ws in wb.worksheets:
        _print_setup(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(plan: Plan) -> str:
    """The interchange form, with the export time (an import of a stale export warns: services.preview)."""
    from django.utils import timezone

    return json.dumps({**dump_plan(plan), "exported_at": timezone.now().isoformat()}, ensure_ascii=False, indent=2)


def to_csv(plan: Plan) -> bytes:
    """Open data: one row per element; budget columns are the element's own projects' plan-stage
    amounts rolled up (a programme row is the sum of its projects). UTF-8 with BOM for Excel."""
    tree = build_tree(plan)
    years = plan.years
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(excel.csv_row(["plan_key", "code", "parent_code", "kind", "title_th",
                                   *[f"budget_{y}" for y in years], "budget_total"]))
    for node, _depth in flatten(tree):
        e = node.element
        amounts = [node.budget_by_year.get(y, Decimal(0)) for y in years]
        writer.writerow(excel.csv_row([plan.key, e.code, e.parent.code if e.parent_id else "", e.kind, e.title_th,
                                       *[f"{a:.2f}" for a in amounts], f"{node.budget_total:.2f}"]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- shared helpers ------------------------------------------------------------------------------
WHOLE_BAHT_FORMAT = "#,##0"   # the forms show whole baht; satang only where an amount has them
MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)   # inches


def _print_setup(ws):
    """A4 landscape, fitted to one page wide (as many pages down as needed), the title rows the
    builder set (`ws.print_title_rows`) repeated on every page, narrow margins, centred."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.page_margins = MARGINS
    ws.print_options.horizontalCentered = True


def _write_amounts(ws, row: int, values: list, amount_columns) -> int:
    """excel.write_row, with whole-baht amounts shown without decimals (1,450,000, not 1,450,000.00)."""
    next_row = excel.write_row(ws, row, values, amount_columns=amount_columns)
    for col in amount_columns:
        value = values[col - 1] if col <= len(values) else None
        if isinstance(value, (int, Decimal)) and Decimal(value) == Decimal(value).to_integral_value():
            ws.cell(row=row, column=col).number_format = WHOLE_BAHT_FORMAT
    return next_row


def _owner_line(plan: Plan) -> str:
    return plan.owner.name_th if plan.owner_id else ""


def _programme_groups(plan: Plan, keep=None):
    """[(issue, strategy or None, programme-or-parent, [project nodes])] in tree order: every element
    that has projects directly under it (and kept by `keep(project node)`) is one ผ.02 table."""
    groups = []
    for node, _ in flatten(build_tree(plan)):
        projects = [c for c in node.children if c.element.kind == "project" and (keep is None or keep(c))]
        if projects:
            chain = [*node.element.ancestors(), node.element]
            issue = next((e for e in chain if e.kind == "issue"), chain[0])
            strategy = next((e for e in chain if e.kind in ("strategy", "objective")), None)
            programme = node.element if node.element.kind == "programme" else None
            groups.append((issue, strategy, programme, projects))
    return groups


class Reach:
    """What an element of the plan serves at each level of the linkage header, from the plan graph:
    its own (and its ancestors') links, plus what those lead to further up by the chain the budget
    view walks (plans.totals.LinkIndex.nearest, plans in force only) — so an issue linked to master
    plan 07 names the National Strategy 07 serves, though nobody linked it to the strategy directly."""

    def __init__(self):
        self.index = LinkIndex()
        kinds = [k for _label, ks in CHAIN for k in ks]
        self.plans = {k: frozenset(Plan.objects.filter(in_force_q(None), kind=k).values_list("pk", flat=True))
                      for k in kinds}

    def by_kind(self, element: Element) -> dict[str, list[Element]]:
        """Plan kind → elements reached, the element's own links first."""
        found: dict[str, list[int]] = defaultdict(list)
        for link in inherited_links(element):
            found[link.target.plan.kind].append(link.target_id)
        for kind, plan_ids in self.plans.items():
            found[kind] += sorted(self.index.nearest(element.pk, plan_ids))
        elements = Element.objects.select_related("plan").in_bulk({i for ids in found.values() for i in ids})
        return {k: [elements[i] for i in dict.fromkeys(ids) if i in elements] for k, ids in found.items()}


# The header names frameworks by their top-level elements; provincial and LAO-province strategies as linked.
KEEP_DEPTH = ("provincial", "lao_province_strategy")


def _chain_lines(element: Element, reach: Reach) -> list[str]:
    """ก.–จ. lines of the linkage header of an issue's tables (the importer reads them back as the
    issue's links; lines reached through other lines add no link on re-import)."""
    by_kind = reach.by_kind(element)
    lines = []
    for label, kinds in CHAIN:
        for t in (t for k in kinds for t in by_kind.get(k, []) if t.parent_id is None or k in KEEP_DEPTH):
            lines.append(f"{label} {NUMBER_WORD[t.plan.kind]} {t.code} {t.title_th}")
    return lines


# --- ผ.02, ผ.02/1 --------------------------------------------------------------------------------
def p02(plan: Plan):
    return _project_details(plan, "ผ.02", "")


# ผ.02/1: projects the LAO coordinates with the PAO (beyond its own means). The plan marks them by
# their budget source (BudgetSource.PAO), as the importer does when it reads an ผ.02/1 sheet whose
# heading says "สำหรับ ประสานโครงการพัฒนาองค์การบริหารส่วนจังหวัด".
P02_1_HEADING = "สำหรับ ประสานโครงการพัฒนาองค์การบริหารส่วนจังหวัด"


def p02_1(plan: Plan):
    return _project_details(plan, "ผ.02/1", P02_1_HEADING, keep=_coordinated_with_pao)


def _coordinated_with_pao(node) -> bool:
    project = getattr(node.element, "project", None)
    return project is not None and any(b.source == "pao" and b.stage == "plan" for b in project.budgets.all())


def _project_details(plan: Plan, form: str, heading: str, keep=None):
    wb = excel.new_workbook()
    ws = wb.create_sheet(form.replace("/", "-"))
    years = plan.years
    width = 8 + len(years)
    row = excel.write_title(ws, 1, "รายละเอียดโครงการพัฒนา", width)
    row = excel.write_title(ws, row, f"แผนพัฒนาท้องถิ่น (พ.ศ. {plan.start_year} – {plan.end_year})", width)
    if heading:
        row = excel.write_title(ws, row, heading, width)
    row = excel.write_title(ws, row, _owner_line(plan), width)
    ws.print_title_rows = f"1:{row - 1}"
    excel.put(ws, 1, width + 1, f"แบบ {form}").font = excel.BOLD
    reach = Reach()
    for issue, strategy, programme, projects in _programme_groups(plan, keep):
        row += 1
        for line in _chain_lines(issue, reach):
            excel.put(ws, row, 1, line).font = excel.BODY
            row += 1
        excel.put(ws, row, 1, f"{issue.code}. ยุทธศาสตร์ {issue.title_th}").font = excel.BOLD
        row += 1
        if strategy is not None:
            excel.put(ws, row, 1, f"{strategy.code} กลยุทธ์/แนวทาง {strategy.title_th}").font = excel.BODY
            row += 1
        if programme is not None:
            excel.put(ws, row, 1, programme.title_th).font = excel.BODY
            row += 1
        row = _p02_header(ws, row, years)
        for n, node in enumerate(projects, start=1):
            row = _p02_row(ws, row, n, node, years)
        totals = [sum((p.budget_by_year.get(y, Decimal(0)) for p in projects), Decimal(0)) for y in years]
        row = _write_amounts(ws, row, ["", "รวม", "", "", *totals, "", "", ""], range(5, 5 + len(years)))
    return wb


def _p02_header(ws, row, years):
    heads = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย\n(ผลผลิตของโครงการ)", "งบประมาณ",
             *[""] * (len(years) - 1), "ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานรับผิดชอบหลัก"]
    excel.write_header(ws, row, heads, [6, 40, 30, 25, *[14] * len(years), 25, 25, 18])
    ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=4 + len(years))
    excel.write_header(ws, row + 1, ["", "", "", "", *[f"{y}\n(บาท)" for y in years], "", "", ""])
    for col in (1, 2, 3, 4, 5 + len(years), 6 + len(years), 7 + len(years)):
        ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
    return row + 2


def _p02_row(ws, row, n, node, years):
    project = getattr(node.element, "project", None)
    amounts = [node.budget_by_year.get(y) or "-" for y in years]
    values = [n, node.element.title_th, project.objective if project else "",
              project.output_target if project else "", *amounts, project.kpi_text if project else "",
              project.expected_result if project else "", project.responsible_unit if project else ""]
    return _write_amounts(ws, row, values, range(5, 5 + len(years)))


# --- ผ.03 ----------------------------------------------------------------------------------------
def p03(plan: Plan):
    """บัญชีครุภัณฑ์: the projects marked as equipment (Project.category), one row each, with their
    issue and programme (the columns the importer reads ผ.03 rows by)."""
    wb = excel.new_workbook()
    ws = wb.create_sheet("ผ.03")
    years = plan.years
    width = 7 + len(years)
    row = excel.write_title(ws, 1, "บัญชีครุภัณฑ์", width)
    row = excel.write_title(ws, row, f"แผนพัฒนาท้องถิ่น (พ.ศ. {plan.start_year} – {plan.end_year})", width)
    row = excel.write_title(ws, row, _owner_line(plan), width)
    excel.put(ws, 1, width + 1, "แบบ ผ.03").font = excel.BOLD
    heads = ["ที่", "ยุทธศาสตร์", "แผนงาน", "หมวด", "ประเภท", "เป้าหมาย\n(ผลผลิตของครุภัณฑ์)", "งบประมาณ",
             *[""] * (len(years) - 1), "หน่วยงานรับผิดชอบหลัก"]
    excel.write_header(ws, row, heads, [6, 28, 24, 14, 30, 30, *[14] * len(years), 18])
    ws.merge_cells(start_row=row, start_column=7, end_row=row, end_column=6 + len(years))
    excel.write_header(ws, row + 1, ["", "", "", "", "", "", *[f"{y}\n(บาท)" for y in years], ""])
    for col in (1, 2, 3, 4, 5, 6, 7 + len(years)):
        ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
    row += 2
    ws.print_title_rows = f"1:{row - 1}"
    n, totals = 0, [Decimal(0)] * len(years)
    for issue, _strategy, programme, projects in _programme_groups(plan, keep=_is_equipment):
        for node in projects:
            n += 1
            amounts = [node.budget_by_year.get(y) or "-" for y in years]
            totals = [t + (node.budget_by_year.get(y) or 0) for t, y in zip(totals, years, strict=True)]
            project = node.element.project
            row = _write_amounts(ws, row, [n, f"{issue.code} {issue.title_th}", programme.title_th if programme else "",
                                           "ค่าครุภัณฑ์", node.element.title_th, project.output_target, *amounts,
                                           project.responsible_unit], range(7, 7 + len(years)))
    _write_amounts(ws, row, ["", "รวม", "", "", "", "", *totals, ""], range(7, 7 + len(years)))
    return wb


def _is_equipment(node) -> bool:
    project = getattr(node.element, "project", None)
    return project is not None and project.category == ProjectCategory.EQUIPMENT


# --- ผ.01 ----------------------------------------------------------------------------------------
def p01(plan: Plan):
    """Count and budget per strategy × programme × year, with subtotals and a grand total."""
    wb = excel.new_workbook()
    ws = wb.create_sheet("ผ.01")
    years = plan.years
    width = 1 + 2 * (len(years) + 1)
    row = excel.write_title(ws, 1, "บัญชีสรุปโครงการพัฒนา", width)
    row = excel.write_title(ws, row, f"แผนพัฒนาท้องถิ่น (พ.ศ. {plan.start_year} – {plan.end_year})", width)
    row = excel.write_title(ws, row, _owner_line(plan), width)
    head = ["ยุทธศาสตร์"]
    for y in years:
        head += [f"ปี {y}", ""]
    head += [f"รวม {len(years)} ปี", ""]
    excel.write_header(ws, row, head, [50, *[12, 16] * (len(years) + 1)])
    for i in range(len(years) + 1):
        ws.merge_cells(start_row=row, start_column=2 + 2 * i, end_row=row, end_column=3 + 2 * i)
    row = excel.write_header(ws, row + 1, ["", *["จำนวนโครงการ", "งบประมาณ (บาท)"] * (len(years) + 1)])
    ws.print_title_rows = f"1:{row - 1}"
    by_issue = defaultdict(lambda: defaultdict(list))
    order = []
    for issue, _strategy, programme, projects in _programme_groups(plan):
        if issue.pk not in by_issue:
            order.append(issue)
        label = programme.title_th if programme else "ไม่ระบุแผนงาน"
        by_issue[issue.pk][label] += projects
    amount_cols = range(3, 3 + 2 * (len(years) + 1), 2)
    grand = []
    for issue in order:
        row = excel.write_row(ws, row, [f"{issue.code}) ยุทธศาสตร์{issue.title_th}"])
        ws.cell(row=row - 1, column=1).font = excel.BOLD
        issue_projects = []
        for label, projects in by_issue[issue.pk].items():
            row = _write_amounts(ws, row, [f"   {label}", *_counts(projects, years)], amount_cols)
            issue_projects += projects
        row = _write_amounts(ws, row, ["รวม", *_counts(issue_projects, years)], amount_cols)
        grand += issue_projects
    _write_amounts(ws, row, ["รวมทั้งสิ้น", *_counts(grand, years)], amount_cols)
    return wb


def _counts(projects, years) -> list:
    out, total_n, total_a = [], 0, Decimal(0)
    for y in years:
        amounts = [p.budget_by_year.get(y, Decimal(0)) for p in projects]
        n, a = sum(1 for x in amounts if x), sum(amounts, Decimal(0))
        out += [n, a]
        total_n, total_a = total_n + n, total_a + a
    return out + [total_n, total_a]


# --- ยท.01 ---------------------------------------------------------------------------------------
def yt01(plan: Plan):
    """The strategy linkage sheet: one row per strategy (or issue without strategies), the chain of
    higher plans it serves and the programmes under it."""
    wb = excel.new_workbook()
    ws = wb.create_sheet("ยท.01")
    heads = [label.split(". ", 1)[1] for label, _ in CHAIN] + ["ยุทธศาสตร์", "กลยุทธ์/แนวทาง", "แผนงาน",
                                                               "หน่วยงานรับผิดชอบหลัก"]
    row = excel.write_title(ws, 1, "ยุทธศาสตร์และความเชื่อมโยง (ยท.01)", len(heads))
    row = excel.write_title(ws, row, f"{plan.title_th}", len(heads))
    row = excel.write_header(ws, row, heads, [22] * len(heads))
    ws.print_title_rows = f"1:{row - 1}"
    reach = Reach()
    for node, _ in flatten(build_tree(plan)):
        e = node.element
        is_leaf_issue = e.kind == "issue" and not any(c.element.kind in ("strategy", "objective") for c in node.children)
        if e.kind not in ("strategy",) and not is_leaf_issue:
            continue
        issue = next((a for a in [*e.ancestors(), e] if a.kind == "issue"), e)
        chain = _chain_cells(e, reach)
        programmes = [c.element.title_th for c in node.children if c.element.kind == "programme"]
        units = sorted({p.element.project.responsible_unit for c in node.children
                        for p in [c, *c.children] if p.element.kind == "project"
                        and getattr(p.element, "project", None) and p.element.project.responsible_unit})
        row = excel.write_row(ws, row, [*chain, f"{issue.code} {issue.title_th}",
                                        "" if e.kind == "issue" else f"{e.code} {e.title_th}",
                                        "\n".join(programmes), "\n".join(units)])
    return wb


def _chain_cells(element: Element, reach: Reach) -> list[str]:
    """One cell per level of CHAIN: what the element serves there, linked or reached further up."""
    by_kind = reach.by_kind(element)
    return ["\n".join(target_label(t) for t in by_kind.get(k, [])) for _, kinds in CHAIN for k in kinds]
