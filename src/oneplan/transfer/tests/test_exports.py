import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from oneplan.governance.locks import allow_published_changes
from oneplan.plans.models import Plan
from oneplan.transfer import exports, services

pytestmark = pytest.mark.django_db
KEY = "choeng-thale-local-2566-2570"


def test_json_round_trip_export_delete_import_export(tmp_path):
    first = tmp_path / "first.json"
    call_command("export_plan", KEY, "--format", "json", "--output", str(first))
    with allow_published_changes():   # the operator removes the plan (frozen: in force)
        Plan.objects.get(key=KEY).delete()
    call_command("import_json", str(first))
    second = tmp_path / "second.json"
    call_command("export_plan", KEY, "--format", "json", "--output", str(second))
    exported, again = json.loads(first.read_text()), json.loads(second.read_text())
    assert exported.pop("exported_at") <= again.pop("exported_at")   # each export says when it was made
    exported["plan"]["status"] = "draft"   # an import only ever makes a draft; everything else survives
    assert exported == again
    assert len(json.loads(second.read_text())["elements"]) > 50


def test_csv_open_data_has_bom_and_one_row_per_element():
    plan = Plan.objects.get(key=KEY)
    data = exports.to_csv(plan)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == plan.elements.count()
    road = next(r for r in rows if r["code"] == "P001")
    assert (road["parent_code"], road["kind"]) == ("1.1-P09", "project")
    programme = next(r for r in rows if r["code"] == "1.1-P09")
    projects = [r for r in rows if r["parent_code"] == "1.1-P09"]
    assert float(programme["budget_2567"]) == sum(float(r["budget_2567"]) for r in projects)


def _sheet(plan, fmt):
    return load_workbook(io.BytesIO(exports.export(plan, fmt))).active


def test_p02_export_reads_back_without_changes(tmp_path):
    plan = Plan.objects.get(key=KEY)
    path = tmp_path / "p02.xlsx"
    path.write_bytes(exports.export(plan, "xlsx-p02"))
    ws = load_workbook(path).active
    assert ws["A1"].value == "รายละเอียดโครงการพัฒนา" and ws["A1"].font.name == "TH Sarabun New"
    pv = services.preview(services.read_file(path))
    assert pv.ok and (pv.created, pv.updated) == ([], [])


def test_p01_counts_and_budgets_per_issue_and_year():
    plan = Plan.objects.get(key=KEY)
    ws = _sheet(plan, "xlsx-p01")
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[3][:3] == ["ยุทธศาสตร์", "ปี 2566", None]
    assert rows[4][1:3] == ["จำนวนโครงการ", "งบประมาณ (บาท)"]
    grand = next(r for r in rows if r[0] == "รวมทั้งสิ้น")
    projects = plan.elements.filter(kind="project")
    with_2566 = [p for p in projects if any(b.fiscal_year == 2566 and b.stage == "plan" and b.amount
                                            for b in p.project.budgets.all())]
    assert grand[1] == len(with_2566)
    assert grand[2] == sum(b.amount for p in with_2566 for b in p.project.budgets.filter(fiscal_year=2566, stage="plan"))


def test_yt01_lists_strategies_with_their_chain():
    ws = _sheet(Plan.objects.get(key=KEY), "xlsx-yt01")
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[2][:2] == ["ยุทธศาสตร์ชาติ", "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"]
    road = next(r for r in rows if r[6] and str(r[6]).startswith("1.1 "))
    assert road[5].startswith("1 การพัฒนาโครงสร้างพื้นฐาน") and "07" in road[1]
    assert "แผนงานอุตสาหกรรมและการโยธา" in road[7] and "กองช่าง" in road[8]


# --- the header chain, print set-up, amounts, ผ.02/1, ผ.03 ------------------------------------------
XLSX_FORMATS = [f for f in exports.FORMATS if f.startswith("xlsx")]


def _rows(plan, fmt):
    return [[c.value for c in r] for r in _sheet(plan, fmt).iter_rows()]


def _reached(element, kind):
    """What the plan graph says an element serves in plans of `kind`: every path upward
    (plans.graph.upward_chain) through plans in force only, as the budget view counts them."""
    from oneplan.plans.editions import in_force_q
    from oneplan.plans.graph import upward_chain

    in_force = set(Plan.objects.filter(in_force_q(None)).values_list("pk", flat=True))
    found = []

    def walk(nodes):
        for node in nodes:
            if node.element.plan_id not in in_force:
                continue
            if node.element.plan.kind == kind and node.element not in found:
                found.append(node.element)
            walk(node.parents)

    walk(upward_chain(element))
    return found


def _header_of(rows, issue):
    """The linkage lines written above the first table of an issue."""
    start = next(i for i, r in enumerate(rows) if r[0] == f"{issue.code}. ยุทธศาสตร์ {issue.title_th}")
    lines = []
    for r in reversed(rows[:start]):
        if not (isinstance(r[0], str) and r[0][:2] in ("ก.", "ข.", "ค.", "ง.", "จ.")):
            break
        lines.insert(0, r[0])
    return lines


def test_p02_header_names_the_national_strategy_the_graph_reaches():
    plan = Plan.objects.get(key=KEY)
    rows = _rows(plan, "xlsx-p02")
    for issue in plan.elements.filter(kind="issue"):
        if not issue.descendants().filter(kind="project").exists():
            continue
        header = _header_of(rows, issue)
        strategies = [e for e in _reached(issue, "national_strategy") if e.parent_id is None]
        assert strategies, f"issue {issue.code} reaches no National Strategy in the demo data"
        line = "ก. ยุทธศาสตร์ชาติ ยุทธศาสตร์ที่ {0.code} {0.title_th}".format
        written = {h for h in header if h.startswith("ก. ")}
        direct = {link.target for link in issue.links_up.select_related("target__plan")}
        # every strategy one step above what the issue links to is named, and nothing the graph does not reach
        one_step = {link.target for t in direct for link in t.links_up.select_related("target__plan")
                    if link.target.plan.kind == "national_strategy" and link.target.parent_id is None}
        assert one_step and {line(s) for s in one_step} <= written <= {line(s) for s in strategies}, issue.code
        for label, kinds in exports.CHAIN[1:]:
            (kind,) = kinds
            wanted = {t for t in direct if t.plan.kind == kind and (t.parent_id is None or kind in exports.KEEP_DEPTH)}
            written = {h for h in header if h.startswith(label[:2])}
            assert {f"{label} {exports.NUMBER_WORD[kind]} {t.code} {t.title_th}" for t in wanted} == written, \
                (issue.code, label)
        order = [h[0] for h in header]
        assert order == sorted(order, key="กขคงจ".index)       # ก. first, as the form prints them


def test_every_exported_sheet_prints_on_a4_landscape_fitted_to_width_with_repeated_titles():
    plan = Plan.objects.get(key=KEY)
    for fmt in XLSX_FORMATS:
        for ws in load_workbook(io.BytesIO(exports.export(plan, fmt))).worksheets:
            setup = ws.page_setup
            assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4)), fmt
            assert ws.sheet_properties.pageSetUpPr.fitToPage and (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
            first, last_title = (int(x.strip("$")) for x in ws.print_title_rows.split(":"))
            assert first == 1, fmt
            assert ws.cell(row=1, column=1).value and last_title >= 2, fmt
            assert any(ws.cell(row=last_title, column=c).value for c in range(1, ws.max_column + 1)), fmt
            assert ws.page_margins.left < 0.75 and ws.page_margins.top < 1   # narrower than Excel's default


def test_amounts_have_thousands_separators_and_decimals_only_where_there_are_satang():
    plan = Plan.objects.get(key=KEY)
    ws = _sheet(plan, "xlsx-p02")
    amounts = [c for r in ws.iter_rows() for c in r if isinstance(c.value, (int, float)) and c.column >= 5
               and c.number_format != "General"]
    assert amounts
    for cell in amounts:
        whole = float(cell.value) == int(cell.value)
        assert cell.number_format == ("#,##0" if whole else "#,##0.00"), (cell.coordinate, cell.value)


def test_satang_keep_their_decimals(tmp_path):
    from oneplan.plans.models import BudgetLine

    plan = Plan.objects.get(key=KEY)
    line = BudgetLine.objects.filter(project__element__plan=plan, stage="plan").first()
    with allow_published_changes():
        line.amount += Decimal("0.50")
        line.save()
    ws = _sheet(plan, "xlsx-p02")
    cell = next(c for r in ws.iter_rows() for c in r if c.value is not None and c.column >= 5
                and str(c.value).endswith(".5"))
    assert cell.number_format == "#,##0.00"


def test_yt01_national_strategy_column_is_filled_from_the_graph():
    from oneplan.plans.graph import target_label

    plan = Plan.objects.get(key=KEY)
    rows = _rows(plan, "xlsx-yt01")
    assert rows[2][0] == "ยุทธศาสตร์ชาติ"
    strategies = {f"{e.code} {e.title_th}": e for e in plan.elements.filter(kind="strategy")}
    checked = 0
    for r in rows[3:]:
        strategy = strategies.get(r[6])
        if strategy is None:
            continue
        reached = {target_label(e) for e in _reached(strategy, "national_strategy")}
        written = set((r[0] or "").split("\n")) - {""}
        assert written and written <= reached, (strategy.code, written, reached)
        checked += 1
    assert checked == len(strategies)


def test_p02_1_lists_the_projects_coordinated_with_the_pao(tmp_path):
    plan = Plan.objects.get(key=KEY)
    pao = set(plan.elements.filter(kind="project", project__budgets__source="pao", project__budgets__stage="plan")
              .values_list("title_th", flat=True))
    assert pao, "the demo plan has projects with a PAO budget"
    path = tmp_path / "p02-1.xlsx"
    path.write_bytes(exports.export(plan, "xlsx-p02-1"))
    ws = load_workbook(path).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert any(exports.P02_1_HEADING == r[0] for r in rows) and ws.cell(row=1, column=ws.max_column).value == "แบบ ผ.02/1"
    listed = {r[1] for r in rows if isinstance(r[0], int)}
    assert listed == pao
    pv = services.preview(services.read_file(path))   # read back: the same projects, their PAO budget kept
    assert pv.ok and (pv.created, pv.updated) == ([], [])
    assert exports.filename(plan, "xlsx-p02-1").endswith("ผ.02-1.xlsx")


def test_p03_lists_the_projects_marked_as_equipment():
    from oneplan.plans.interchange import dump_plan
    from oneplan.plans.models import ProjectCategory

    plan = Plan.objects.get(key=KEY)
    assert not [r for r in _rows(plan, "xlsx-p03") if isinstance(r[0], int)]   # nothing marked yet
    element = plan.elements.filter(kind="project").order_by("pk").last()
    with allow_published_changes():
        element.project.category = ProjectCategory.EQUIPMENT
        element.project.save()
    rows = _rows(plan, "xlsx-p03")
    assert rows[3][:6] == ["ที่", "ยุทธศาสตร์", "แผนงาน", "หมวด", "ประเภท", "เป้าหมาย\n(ผลผลิตของครุภัณฑ์)"]
    (listed,) = [r for r in rows if isinstance(r[0], int)]
    issue = next(a for a in element.ancestors() if a.kind == "issue")
    assert listed[1] == f"{issue.code} {issue.title_th}" and listed[4] == element.title_th
    budget = {b.fiscal_year: b.amount for b in element.project.budgets.filter(stage="plan")}
    years = plan.years
    assert {y: v for y, v in zip(years, listed[6:6 + len(years)], strict=True) if v != "-"} == \
        {y: float(a) for y, a in budget.items()}
    dumped = next(e for e in dump_plan(plan)["elements"] if e["code"] == element.code)
    assert dumped["project"]["category"] == "equipment"   # the marker survives a JSON export
