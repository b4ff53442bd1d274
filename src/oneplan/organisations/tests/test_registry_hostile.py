"""The registry import's hostile corpus: broken encodings, spreadsheet formulas, huge files and fields,
zip bombs, duplicate and invisible-character rows. Each is refused (or read safely) with a Thai message
that names the problem, and nothing is written."""
import zipfile

import pytest
from django.test import override_settings

from oneplan.organisations.models import Organisation
from oneplan.organisations.registry import commit_registry, read_registry
from oneplan.transfer.limits import MAX_ROWS, TimeBudget

pytestmark = pytest.mark.django_db

HEADER = "รหัส,ชื่อ อปท.,ประเภท,จังหวัด,อำเภอ,ตำบล\n"
GOOD = "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n"


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            for _ in range(310):
                fh.write(b" " * (1 << 20))


CASES = {
    "utf16_without_bom.csv": ((HEADER + GOOD).encode("utf-16-le"), "ไบต์ว่าง (NUL)"),
    "latin1_garbage.csv": (HEADER.encode() + b"\x80\x81\xfe\xff" * 10, "ต้องเข้ารหัสเป็น UTF-8"),
    "formula_name.csv": ((HEADER + '6900101,"=HYPERLINK(""http://x"",""อบต"")",อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n')
                         .encode(), "แถวที่ 2 คอลัมน์ ชื่อ อปท.: “=HYPERLINK"),
    "formula_district.csv": ((HEADER + "6900101,อบต.ท่าข้าม,อบต.,สงขลา,@SUM(A1),ท่าข้าม\n").encode(),
                             "แถวที่ 2 คอลัมน์ อำเภอ:"),
    "tab_formula_code.csv": ((HEADER + "\t=1+1,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                             "ถือเป็นสูตร"),
    "line_break_in_name.csv": ((HEADER + '6900101,"อบต.ท่าข้าม\nDROP",อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n').encode(),
                               "อักขระควบคุมหรือการขึ้นบรรทัดใหม่"),
    "nul_in_middle.csv": ((HEADER + "x" * 5000 + "\n" + "69001\x0001,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n")
                          .encode(), "อักขระควบคุม"),
    "unterminated_quote.csv": ((HEADER + '6900101,"อบต.ท่าข้าม' + "ก" * 200_000).encode(), "อ่านไฟล์ CSV ไม่ได้"),
    "name_1000_chars.csv": ((HEADER + "6900101," + "ก" * 1000 + ",อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                            "เกิน 300 ตัวอักษร"),
    "duplicate_rows.csv": ((HEADER + GOOD + GOOD).encode(), "แถวที่ 3 คอลัมน์ ชื่อ อปท.:"),
    "duplicate_with_zero_width_space.csv": ((HEADER + GOOD + ",อบต.ท่า\u200bข้าม,,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                                            "ซ้ำกับแถวที่ 2"),
    "rows_beyond_limit.csv": ((HEADER + "x\n" * (MAX_ROWS + 1)).encode(), f"เกิน {MAX_ROWS:,} แถว"),
    "columns_beyond_limit.csv": ((HEADER + "," * 250 + "x\n").encode(), "เกิน 200 คอลัมน์"),
    "header_only.csv": (HEADER.encode(), "ไม่พบรายการ อปท."),
    "no_header.csv": ((GOOD * 3).encode(), "ไม่พบหัวตาราง"),
    "not_a_registry.pdf": (b"%PDF-1.4", "เฉพาะไฟล์ CSV (.csv) หรือ Excel (.xlsx)"),
    "old_format.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, ".xls"),
    "not_excel.xlsx": (b"hello", "ไม่ใช่ไฟล์ Excel"),
    "kind_says_other_than_name.csv": ((HEADER + "6900101,เทศบาลตำบลท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                                      "แถวที่ 2 คอลัมน์ ประเภท:"),
    "ministry_as_kind.csv": ((HEADER + "6900101,กรมทางหลวง,ministry,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                             "ไม่รู้จักประเภท “ministry”"),
    "code_not_digits.csv": ((HEADER + "69-001X,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n").encode(),
                            "แถวที่ 2 คอลัมน์ รหัส:"),
    "sao_without_subdistrict.csv": ((HEADER + "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,\n").encode(),
                                    "ต้องระบุตำบลที่ตั้ง"),
}


@pytest.mark.parametrize("name", sorted(CASES) + ["zip_bomb.xlsx"])
def test_hostile_registry_file_is_refused_in_thai_and_writes_nothing(tmp_path, name):
    path = tmp_path / name
    if name == "zip_bomb.xlsx":
        _zip_bomb(path)
        expected = "ใหญ่ผิดปกติ"
    else:
        data, expected = CASES[name]
        path.write_bytes(data)
    before = Organisation.objects.count()
    result = read_registry(path, filename=name)
    assert not result.ok
    assert any(expected in str(p) for p in result.errors), [str(p) for p in result.errors]
    assert not commit_registry(result) and Organisation.objects.count() == before


def test_a_thai_windows_csv_is_read_with_a_note(tmp_path):
    path = tmp_path / "cp874.csv"
    path.write_bytes((HEADER + GOOD).encode("cp874"))
    result = read_registry(path)
    assert result.ok and [r.name_th for r in result.of("create")] == ["องค์การบริหารส่วนตำบลท่าข้าม"]
    assert "TIS-620" in str(result.warnings[0])


def test_a_utf16_csv_with_bom_is_read(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes((HEADER + GOOD).encode("utf-16"))
    assert read_registry(path).ok


@override_settings(ONEPLAN_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_upload_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes((HEADER + GOOD * 40).encode())
    result = read_registry(path)
    assert "เกินขนาดที่นำเข้าได้" in str(result.errors[0])


def test_the_time_budget_stops_the_import_with_a_thai_message(tmp_path):
    path = tmp_path / "slow.csv"
    path.write_bytes((HEADER + GOOD).encode())
    result = read_registry(path, tick=TimeBudget(0))
    assert not result.ok and "ใช้เวลาเกิน" in str(result.errors[0])
