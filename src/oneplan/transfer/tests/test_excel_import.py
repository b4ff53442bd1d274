from decimal import Decimal

import pytest

from oneplan.plans.models import Element, Plan
from oneplan.transfer import services
from oneplan.transfer.tests import workbooks

from .conftest import db_counts

pytestmark = pytest.mark.django_db


def _import(path, **kwargs):
    result = services.read_file(path, **kwargs)
    assert result.ok, [str(p) for p in result.errors]
    return result


def _elements(result, kind):
    return [e for e in result.data["elements"] if e["kind"] == kind]


def test_messy_workbook_becomes_issue_strategy_programme_project_tree(lao, workbook):
    result = _import(workbook())
    plan = result.data["plan"]
    assert plan["owner"] == lao.key and (plan["start_year"], plan["end_year"]) == (2566, 2570)
    assert plan["key"] == f"{lao.key}-lao-local-2566-2570"
    issues = _elements(result, "issue")
    assert [(e["code"], e["title_th"]) for e in issues] == [
        ("1", "การพัฒนาโครงสร้างพื้นฐาน"), ("2", "การพัฒนาคุณภาพชีวิตและสังคม")]
    strategies = _elements(result, "strategy")
    assert [(e["code"], e["parent"]) for e in strategies] == [("1.1", "1"), ("2.1", "2")]
    programmes = _elements(result, "programme")
    assert [(e["code"], e["title_th"]) for e in programmes] == [
        ("1.1-P09", "แผนงานอุตสาหกรรมและการโยธา"), ("2.1-P03", "แผนงานการศึกษา")]
    assert len(_elements(result, "project")) == 5


def test_titles_kept_as_written_and_amounts_read_the_thai_way(lao, workbook):
    projects = {e["title_th"]: e for e in _elements(_import(workbook()), "project")}
    drain = projects["โครงการก่อสร้างรางระบายน้ำ คสล.  พร้อมฝาปิด หมู่ที่ 6"]   # double space kept
    assert {b["year"]: b["amount"] for b in drain["project"]["budgets"]} == {2567: "1200000.00"}
    road = projects["โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยบ้านดอน หมู่ที่ 1"]
    assert {b["year"]: b["amount"] for b in road["project"]["budgets"]} == {2566: "500000.00", 2567: "500000.00"}
    lamp = projects["โครงการติดตั้งโคมไฟถนน LED พลังงานแสงอาทิตย์ หมู่ที่ 4"]
    assert {b["year"]: b["amount"] for b in lamp["project"]["budgets"]} == {2568: "350000.50", 2569: "350000.00"}
    assert road["project"]["responsible_unit"] == "กองช่าง"
    assert road["project"]["output_target"] == "ดำเนินการ 1 แห่ง"


def test_linkage_header_rows_become_links_by_number_and_by_name(lao, workbook):
    result = _import(workbook())
    links = {e["code"]: {(x["plan"], x["code"]) for x in e["links"]} for e in _elements(result, "issue")}
    assert {("national-strategy", "2"), ("master-plans-2566", "07"), ("nesdp13", "8"),
            ("phuket-provincial-2561-2564", "2"), ("phuket-lao-strategy-2566-2570", "1")} <= links["1"]
    # by name: "การพัฒนาการเรียนรู้" is master plan 12; the provincial issue is named, not numbered
    assert {("national-strategy", "3"), ("master-plans-2566", "12"), ("nesdp13", "12"),
            ("phuket-provincial-2561-2564", "3"), ("phuket-lao-strategy-2566-2570", "3")} <= links["2"]


def test_dry_run_writes_nothing_and_commit_writes_everything(lao, workbook):
    path = workbook()
    before = db_counts()
    result = _import(path)
    assert services.commit(result, dry_run=True) is not None
    assert len(services.preview(result).created) == 11 and db_counts() == before
    services.commit(_import(path))
    plan = Plan.objects.get(owner=lao)
    assert plan.elements.filter(kind="project").count() == 5
    road = plan.elements.get(title_th="โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยบ้านดอน หมู่ที่ 1")
    assert road.parent.code == "1.1-P09" and road.parent.parent.parent.code == "1"
    assert sum(b.amount for b in road.project.budgets.all()) == Decimal("1000000")
    assert plan.elements.get(code="1").links_up.filter(target__plan__key="national-strategy").exists()


def test_reimport_updates_instead_of_duplicating(lao, workbook):
    path = workbook()
    services.commit(_import(path))
    after_first = db_counts()
    changed = workbooks.infra_block(projects=[
        ("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยบ้านดอน หมู่ที่ 1", [900000, "-", "-", "-", "-"])])
    second = _import(workbook(blocks=[changed], name="second.xlsx"))
    pv = services.preview(second)
    assert [e["title_th"] for e in pv.updated if e["kind"] == "project"] == [
        "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยบ้านดอน หมู่ที่ 1"]
    assert not [e for e in pv.created]
    services.commit(second)
    assert db_counts()[:4] == after_first[:4]
    road = Element.objects.get(plan__owner=lao, title_th__startswith="โครงการก่อสร้างถนนคอนกรีต")
    assert [(b.fiscal_year, b.amount) for b in road.project.budgets.all()] == [(2566, Decimal("900000.00"))]


def test_second_sheet_and_blocks_share_the_issue(lao, workbook):
    more = workbooks.infra_block(sheet="ผ.02 (2)", projects=[("โครงการขยายเขตประปา หมู่ที่ 5", [1, 2, 3, 4, 5])])
    more["strategy"], more["programme"] = "1.2 แนวทาง พัฒนาระบบประปา", "แผนงานเคหะและชุมชน"
    result = _import(workbook(blocks=[workbooks.infra_block(), more]))
    assert [e["code"] for e in _elements(result, "issue")] == ["1"]
    assert {e["code"]: e["parent"] for e in _elements(result, "programme")} == {"1.1-P09": "1.1", "1.2-P06": "1.2"}


def test_likely_duplicates_are_flagged(lao, workbook):
    block = workbooks.infra_block(projects=[
        ("โครงการจัดงานวันเด็กแห่งชาติ", [1000, "-", "-", "-", "-"]),
        ("โครงการจัดงานวันเด็กแห่งชาติ ", [1000, "-", "-", "-", "-"]),
        ("โครงการก่อสร้างถนน คสล. หมู่ที่ 1", [5, "-", "-", "-", "-"]),
        ("โครงการก่อสร้างถนน คสล. หมู่ที่ 2", [5, "-", "-", "-", "-"]),
        ("โครงการอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน", [7, 7, "-", "-", "-"]),
        ("โครงการอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน (อปพร.)", [7, 7, "-", "-", "-"]),
    ])
    result = _import(workbook(blocks=[block]))
    flagged = [w.message for w in result.warnings if "อาจซ้ำ" in w.message]
    assert len(flagged) == 2, flagged      # village 1 and village 2 are different projects
    assert any("ชื่อเดียวกัน" in m for m in flagged) and any("ชื่อคล้ายกัน" in m for m in flagged)
    assert len(_elements(result, "project")) == 6   # flagged, not dropped


def test_p01_totals_checked_against_p02_rows(lao, workbook):
    summary = [("1) ยุทธศาสตร์การพัฒนาโครงสร้างพื้นฐาน", [(1, 500000), (2, 1700000), (1, 350000.5), (1, 350000), (0, 0)]),
               ("   1.1 แผนงานอุตสาหกรรมและการโยธา", [(1, 500000), (2, 1700000), (1, 350000.5), (1, 350000), (0, 0)]),
               ("รวมทั้งสิ้น", [(3, 1780000), (4, 2980000), (3, 1630000.5), (3, 1630000), (2, 9)])]
    result = _import(workbook(summary=summary))
    diffs = [w for w in result.warnings if w.sheet == "ผ.01"]
    assert len(diffs) == 1, [str(w) for w in diffs]
    assert diffs[0].row == 7 and diffs[0].column == "K"
    assert "ผ.01 ปี 2570" in diffs[0].message and "1,280,000" in diffs[0].message


def test_extra_column_is_reported_not_fatal(lao, workbook):
    result = _import(workbook())
    assert any("ข้ามคอลัมน์" in w.message and w.column == "" for w in result.warnings)


def test_existing_plan_chosen_with_plan_option(workbook):
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    result = _import(workbook(owner="ใครก็ได้"), plan=str(plan.pk))
    assert result.data["plan"]["key"] == plan.key
    # the demo issue 1 "การพัฒนาโครงสร้างพื้นฐาน" and its programme are found again, not duplicated
    assert not [e for e in services.preview(result).created if e["kind"] != "project"]
