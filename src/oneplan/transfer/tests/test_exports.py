import csv
import io
import json

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
