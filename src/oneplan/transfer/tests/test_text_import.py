from collections import Counter
from pathlib import Path

import docx
import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.plans.models import Plan
from oneplan.transfer import services
from oneplan.transfer.text_import import TextReader, split_items

from .conftest import db_counts

SEED = Path(__file__).parent / "fixtures" / "seed000_phuket_hearing.txt"
pytestmark = pytest.mark.django_db


def _kinds(result):
    return Counter(e["kind"] for e in result.data["elements"])


def test_seed_000_is_phukets_plan_with_its_top_elements():
    with allow_published_changes():   # the operator removes the demo plan (frozen: in force)
        Plan.objects.filter(key="phuket-provincial-2561-2564").delete()
    result = services.read_file(SEED)
    assert result.ok, [str(p) for p in result.errors]
    meta = result.data["plan"]
    assert (meta["kind"], meta["owner"], meta["area"], meta["start_year"], meta["end_year"]) == (
        "provincial", "phuket-provincial-office", "83", 2561, 2564)
    assert meta["title_th"] == "แผนพัฒนาจังหวัดภูเก็ต (พ.ศ. 2561 – 2564)"
    assert _kinds(result) == {"vision": 1, "mission": 4, "ultimate_goal": 4, "issue": 3}
    services.commit(result)
    plan = Plan.objects.get(owner__key="phuket-provincial-office", start_year=2561)
    assert Counter(plan.elements.values_list("kind", flat=True)) == {"vision": 1, "mission": 4,
                                                                     "ultimate_goal": 4, "issue": 3}
    vision = plan.elements.get(kind="vision").title_th
    assert vision.startswith("ศูนย์กลางการท่องเที่ยว") and vision.endswith("ภายในปี พ.ศ. 2579")
    assert plan.elements.get(code="M2").title_th == "สร้างภาพลักษณ์ที่ดีของภูเก็ต"


def test_seed_000_takes_the_first_issue_list_and_reports_the_second():
    result = services.read_file(SEED)
    issues = [e["title_th"] for e in result.data["elements"] if e["kind"] == "issue"]
    assert issues[0] == "การพัฒนาสู่เมืองเศรษฐกิจเพิ่มค่า และบริการมูลค่าสูงระดับนานาชาติ"
    assert issues[2] == "การพัฒนาคน สังคม และการจัดการความมั่นคง และความสงบเรียบร้อย"
    assert any("ซ้ำอีกครั้ง" in w.message and w.paragraph for w in result.warnings)


def test_seed_000_reimport_into_the_demo_plan_changes_nothing():
    before = db_counts()
    result = services.read_file(SEED)
    pv = services.preview(result)
    assert result.data["plan"]["key"] == "phuket-provincial-2561-2564"
    assert (pv.created, pv.updated) == ([], [])
    services.commit(result)
    assert db_counts()[:4] == before[:4]


def test_docx_plan_with_issue_sections(tmp_path, lao):
    document = docx.Document()
    for text in ["แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เทศบาลตำบลทดสอบนำเข้า",
                 "วิสัยทัศน์ : ชุมชนน่าอยู่ เศรษฐกิจมั่นคง",
                 "พันธกิจ", "(1) พัฒนาโครงสร้างพื้นฐาน", "(2) ส่งเสริมคุณภาพชีวิต",
                 "ประเด็นยุทธศาสตร์ที่ ๑ การพัฒนาโครงสร้างพื้นฐาน",
                 "เป้าประสงค์ 1) ถนนได้มาตรฐาน", "ตัวชี้วัด 1) ระยะทางถนนที่ได้มาตรฐาน 2) จำนวนจุดน้ำท่วมลดลง",
                 "กลยุทธ์", "๑. ก่อสร้างถนน", "๒. ขุดลอกคลอง",
                 "ประเด็นยุทธศาสตร์ที่ 2 การพัฒนาคุณภาพชีวิต", "แนวทางการพัฒนา 1. ส่งเสริมการศึกษา"]:
        document.add_paragraph(text)
    path = tmp_path / "plan.docx"
    document.save(path)
    result = services.read_file(path)
    assert result.ok, [str(p) for p in result.errors]
    assert result.data["plan"]["owner"] == lao.key and result.data["plan"]["kind"] == "lao_local"
    by_code = {e["code"]: e for e in result.data["elements"]}
    assert by_code["V"]["title_th"] == "ชุมชนน่าอยู่ เศรษฐกิจมั่นคง"
    assert [by_code[c]["title_th"] for c in ("M1", "M2")] == ["พัฒนาโครงสร้างพื้นฐาน", "ส่งเสริมคุณภาพชีวิต"]
    assert by_code["1"]["title_th"] == "การพัฒนาโครงสร้างพื้นฐาน"
    assert (by_code["1.1"]["kind"], by_code["1.1"]["parent"]) == ("objective", "1")
    assert [e["title_th"] for e in result.data["elements"] if e["kind"] == "kpi"] == [
        "ระยะทางถนนที่ได้มาตรฐาน", "จำนวนจุดน้ำท่วมลดลง"]
    strategies = [(e["title_th"], e["parent"]) for e in result.data["elements"] if e["kind"] == "strategy"]
    assert strategies == [("ก่อสร้างถนน", "1.1"), ("ขุดลอกคลอง", "1.1"), ("ส่งเสริมการศึกษา", "2")]


@pytest.mark.parametrize("text, items", [
    ("ประกอบด้วย 1.ก ข 2.ค 3.ง", ["ก ข", "ค", "ง"]),
    ("1) หนึ่ง 2) สอง", ["หนึ่ง", "สอง"]),
    ("(1) หนึ่ง (2) สอง", ["หนึ่ง", "สอง"]),
    ("๑. หนึ่ง ๒. สอง", ["หนึ่ง", "สอง"]),
    ("1. เมืองที่พัฒนาแล้วภายในปี พ.ศ. 2579 ใน 4 ปี 2. ทุก ๆ ด้าน 3.5 ล้าน", ["เมืองที่พัฒนาแล้วภายในปี พ.ศ. 2579 ใน 4 ปี", "ทุก ๆ ด้าน 3.5 ล้าน"]),
    ("ไม่มีเลขข้อ", []),
])
def test_numbered_items(text, items):
    assert split_items(text)[1] == items


def test_text_without_plan_headings_is_refused(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("บันทึกการประชุม ไม่มีหัวข้อแผน", encoding="utf-8")
    result = services.read_file(path)
    assert not result.ok and "ไม่พบหัวข้อของแผน" in result.errors[0].message


CORPUS = Path(__file__).parent / "text_corpus"


def test_kpi_targets_from_the_wording_are_imported_per_year(lao):
    """Chiang Mai's summary imported into a plan of a (Phuket) municipality: the KPI targets land in the
    plan's KPI records, and the preview says the text is about another province."""
    result = services.read_file(CORPUS / "02_chiangmai_plan_summary.txt", owner=lao.key)
    assert result.ok, [str(p) for p in result.errors]
    kpis = {e["title_th"]: e["kpi"] for e in result.data["elements"] if e["kind"] == "kpi"}
    per_year = kpis["รายได้จากการท่องเที่ยวเพิ่มขึ้นร้อยละ 5 ต่อปี"]
    assert (per_year["unit"], per_year["direction"]) == ("ร้อยละ", "increase")
    assert per_year["targets"] == {str(y): "5" for y in range(2566, 2571)}
    assert kpis["จำนวนจุดความร้อนสะสมลดลงร้อยละ 10"]["direction"] == "decrease"
    assert kpis["พื้นที่เกษตรปลอดภัยที่ได้รับการรับรองมาตรฐาน GAP จำนวน 5,000 ไร่"]["targets"] == {"2570": "5000"}
    assert any("ข้อความระบุจังหวัดเชียงใหม่" in w.message and "ภูเก็ต" in w.message for w in result.warnings)
    services.commit(result)
    assert result.ok, [str(p) for p in result.errors]
    plan = Plan.objects.get(owner=lao, start_year=2566)
    kpi = plan.elements.get(title_th="รายได้จากการท่องเที่ยวเพิ่มขึ้นร้อยละ 5 ต่อปี").kpi
    assert (kpi.unit, kpi.direction) == ("ร้อยละ", "increase")
    assert {t.year: t.value for t in kpi.targets.all()} == {y: 5 for y in range(2566, 2571)}
    again = services.read_file(CORPUS / "02_chiangmai_plan_summary.txt", owner=lao.key)
    pv = services.preview(again)
    assert (pv.created, pv.updated) == ([], [])     # re-import finds the same KPIs with the same targets


def test_docx_table_rows_belong_to_the_heading_above_them(lao):
    result = services.read_file(CORPUS / "18_trang_kpi_table.docx", owner=lao.key)
    assert result.ok, [str(p) for p in result.errors]
    by_code = {e["code"]: e for e in result.data["elements"]}
    kpis = [e for e in result.data["elements"] if e["kind"] == "kpi"]
    assert [by_code[k["parent"]]["title_th"] for k in kpis] == [
        "การเพิ่มมูลค่ายางพาราและปาล์มน้ำมัน", "การเพิ่มมูลค่ายางพาราและปาล์มน้ำมัน",
        "การพัฒนาการท่องเที่ยวทางทะเลและอันดามัน"]
    assert kpis[1]["kpi"]["targets"] == {"2566": "500", "2567": "600", "2568": "700", "2569": "800", "2570": "900"}
    assert kpis[1]["kpi"]["unit"] == "ราย"


def test_unknown_owner_message_names_the_province_of_the_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) องค์การบริหารส่วนตำบลไม่มีในทะเบียน อำเภอหาดใหญ่ "
                    "จังหวัดสงขลา\nวิสัยทัศน์ “ตำบลน่าอยู่”", encoding="utf-8")
    result = services.read_file(path)
    assert not result.ok
    assert any("ไม่ทราบว่าเป็นแผนของหน่วยงานใด" in p.message and "จังหวัดสงขลา" in p.message for p in result.errors)


@pytest.mark.parametrize("prose", [
    "ที่ประชุมเห็นว่าโครงการนี้สอดคล้องกับยุทธศาสตร์ที่ 3 ของจังหวัด และให้เสนอขอรับงบประมาณต่อไป",
    "วิทยากรกล่าวถึงทิศทางของแผน ประกอบด้วย วิสัยทัศน์ พันธกิจ เป้าประสงค์ และตัวชี้วัดที่ชัดเจน",
    "#พังงา #แผนพัฒนาจังหวัด #รับฟังความคิดเห็น",
])
def test_plan_words_in_prose_are_not_elements(prose):
    """News of a hearing names the parts of a plan without stating them: nothing is made up from it."""
    assert TextReader([prose]).read() == []


def test_run_together_issues_keep_numbers_inside_their_titles():
    items = TextReader(["มี ๒ ประเด็นการพัฒนา คือ ประเด็นการพัฒนาที่ ๑ การพัฒนาเมืองรองรับประชากร ๑๐๐,๐๐๐ คน "
                        "ประเด็นการพัฒนาที่ ๒ การพัฒนาคน"]).read()
    assert [(i.kind, i.title, i.number) for i in items] == [
        ("issue", "การพัฒนาเมืองรองรับประชากร ๑๐๐,๐๐๐ คน", "1"), ("issue", "การพัฒนาคน", "2")]


def test_a_closing_line_after_a_numbered_list_is_not_part_of_its_last_item():
    items = TextReader(["พันธกิจ", "1. พัฒนาโครงสร้างพื้นฐานและระบบระบายน้ำให้ทั่วถึงและได้มาตรฐาน",
                        "2. ส่งเสริมคุณภาพชีวิต การศึกษา และสุขภาพของประชาชนในตำบล",
                        "จึงประกาศให้ทราบโดยทั่วกัน"]).read()
    assert [i.title for i in items] == ["พัฒนาโครงสร้างพื้นฐานและระบบระบายน้ำให้ทั่วถึงและได้มาตรฐาน",
                                        "ส่งเสริมคุณภาพชีวิต การศึกษา และสุขภาพของประชาชนในตำบล"]


def test_a_line_broken_off_an_item_is_joined_back():
    items = TextReader(["ตัวชี้วัด", "1) สัดส่วนนักท่องเที่ยวที่กลับมาเที่ยวซ้ำในจังหวัด ไม่น้อยกว่า",
                        "ร้อยละ 30"]).read()
    assert [i.title for i in items] == ["สัดส่วนนักท่องเที่ยวที่กลับมาเที่ยวซ้ำในจังหวัด ไม่น้อยกว่าร้อยละ 30"]
    assert items[0].target.value == 30
