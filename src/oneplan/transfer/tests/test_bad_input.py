"""Every kind of bad file: a Thai message that points at the place, and the database untouched."""
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from oneplan.plans.models import Plan
from oneplan.transfer.tests import workbooks

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def run_cli(path, *args):
    """import-excel --json; returns the printed report. It must fail and change nothing."""
    before = db_counts()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_excel", str(path), "--json", *args, stdout=out)
    assert db_counts() == before
    return json.loads(out.getvalue())


def test_not_an_excel_file(lao, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("ที่,โครงการ,งบประมาณ\n1,ถนน,500000\n", encoding="utf-8")
    errors = run_cli(path)["errors"]
    assert "ไม่ใช่ไฟล์ Excel" in errors[0]["text"]


def test_password_protected_workbook(lao, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le"))
    assert "รหัสผ่าน" in run_cli(path)["errors"][0]["text"]


def test_old_xls_workbook(lao, tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    assert ".xls" in run_cli(path)["errors"][0]["text"]


def test_truncated_workbook(lao, workbook, tmp_path):
    good = workbook().read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "เสียหาย" in run_cli(path)["errors"][0]["text"]


def test_zip_that_is_not_a_workbook(lao, tmp_path):
    path = tmp_path / "notbook.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "สวัสดี")
    assert "เสียหาย" in run_cli(path)["errors"][0]["text"]


def test_sheet_without_a_recognisable_header(lao, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "ผ.02"
    ws.append(["รายละเอียดโครงการพัฒนา"])
    ws.append(["แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)"])
    ws.append(["ลำดับ", "ชื่องาน", "เงิน"])
    ws.append([1, "ถนน", 5000])
    path = tmp_path / "noheader.xlsx"
    wb.save(path)
    error = run_cli(path)["errors"][0]
    assert error["sheet"] == "ผ.02" and "ไม่พบหัวตาราง" in error["message"]


def test_budget_cell_with_text(lao, workbook):
    block = workbooks.infra_block(projects=[("โครงการก่อสร้างถนน", [500000, "ห้าแสนบาท", "-", "-", "-"])])
    error = run_cli(workbook(blocks=[block]))["errors"][0]
    assert (error["sheet"], error["column"]) == ("ผ.02", "F")
    assert error["row"] == 16 and "ห้าแสนบาท" in error["message"] and "ไม่ใช่จำนวนเงิน" in error["message"]


def test_year_outside_the_plan_period(lao, workbook):
    path = workbook(years=[2566, 2567, 2568, 2569, 2571])
    error = run_cli(path)["errors"][0]
    assert error["column"] == "I" and "2571" in error["message"] and "นอกช่วงของแผน" in error["message"]


def test_unknown_strategy_name(lao, workbook):
    block = workbooks.infra_block()
    block["links"] = [*block["links"][:1], "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ การสำรวจดาวอังคาร"]
    error = run_cli(workbook(blocks=[block]))["errors"][0]
    assert error["sheet"] == "ผ.02" and error["row"] == 6
    assert "ไม่พบแผนแม่บทภายใต้ยุทธศาสตร์ชาติ “การสำรวจดาวอังคาร”" in error["message"]


def test_unknown_strategy_number(lao, workbook):
    block = workbooks.infra_block()
    block["links"] = ["ก. ยุทธศาสตร์ชาติ ยุทธศาสตร์ที่ 9 ด้านที่ไม่มีอยู่จริง"]
    error = run_cli(workbook(blocks=[block]))["errors"][0]
    assert error["row"] == 5 and "ไม่พบยุทธศาสตร์ชาติ ที่ 9" in error["message"]


def test_fifty_megabyte_file_refused_before_reading(lao, tmp_path, monkeypatch):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)          # sparse: 50 MB on paper, instant to make

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was opened although it is too large")

    monkeypatch.setattr("oneplan.transfer.excel_import.open_workbook", must_not_read)
    error = run_cli(path)["errors"][0]
    assert "50.0 MB" in error["text"] and "เกินขนาดที่นำเข้าได้ (20 MB)" in error["text"]


def test_unknown_owner(tmp_path, workbook):
    path = workbook(owner="หน่วยงานที่ไม่มีในระบบ")
    assert "ไม่ทราบหน่วยงานเจ้าของแผน" in run_cli(path)["errors"][0]["text"]
    assert "ไม่พบหน่วยงานรหัส “nobody”" in run_cli(path, "--owner", "nobody")["errors"][0]["text"]


def test_one_bad_row_blocks_the_whole_file(lao, workbook):
    good = workbooks.social_block()
    bad = workbooks.infra_block(projects=[("โครงการดี", [1, 1, 1, 1, 1]), ("โครงการเสีย", ["abc", 1, 1, 1, 1])])
    report = run_cli(workbook(blocks=[good, bad]))
    assert len(report["errors"]) == 1 and not report["committed"]
    assert not Plan.objects.filter(owner=lao).exists()
