"""The LAO registry import (oneplan import-organisations): the DLA layout with Thai headers, matched to
geothai, a preview of what is created / updated / skipped, all or nothing, Thai errors with row and column."""
import json

import pytest
from django.core.management import CommandError, call_command

from oneplan.areas.models import Area
from oneplan.organisations.models import Organisation
from oneplan.organisations.names import kind_from_name, name_key, parse_kind
from oneplan.organisations.registry import commit_registry, read_registry

pytestmark = pytest.mark.django_db

HEADER = "รหัส,ชื่อ อปท.,ประเภท,จังหวัด,อำเภอ,ตำบล\n"


def write(tmp_path, body, name="registry.csv", header=HEADER, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
    return path


def run(path, *args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_organisations", str(path), "--json", *args, stdout=out, stderr=StringIO())
    except CommandError:
        pass
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("a", "b"), [("อบต.ท่าข้าม", "องค์การบริหารส่วนตำบลท่าข้าม"),
                                      ("องค์การบริหารส่วนตำบล ท่าข้าม", "อบต. ท่าข้าม"),
                                      ("ทต.เชิงทะเล", "เทศบาลตำบลเชิงทะเล"), ("ทม.ป่าตอง", "เทศบาลเมืองป่าตอง"),
                                      ("ทน.หาดใหญ่", "เทศบาลนครหาดใหญ่"), ("อบจ.ภูเก็ต", "องค์การบริหารส่วนจังหวัดภูเก็ต"),
                                      ("เทศบาลตําบลเชิงทะเล", "เทศบาลตำบลเชิงทะเล")])
def test_the_abbreviations_and_the_full_words_are_one_name(a, b):
    assert name_key(a) == name_key(b)


def test_kinds_are_read_from_abbreviations_full_words_and_names():
    assert parse_kind("อบต.") == parse_kind("อบต") == parse_kind("องค์การบริหารส่วนตำบล") == "sao"
    assert parse_kind("ทม.") == "town_municipality" and parse_kind("เทศบาลนคร") == "city_municipality"
    assert parse_kind("กรมการปกครอง") is None
    assert kind_from_name("ทต.เชิงทะเล") == "subdistrict_municipality"


def test_dry_run_lists_what_it_would_create_and_writes_nothing(tmp_path):
    path = write(tmp_path, "6900101,ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n"
                           "6900102,ทน.หาดใหญ่,,จ.สงขลา,อ.หาดใหญ่,ต.หาดใหญ่\n")
    before = Organisation.objects.count()
    out = run(path, "--dry-run")
    assert out["ok"] and not out["committed"] and Organisation.objects.count() == before
    assert [(r["name_th"], r["abbreviation"], r["area"]) for r in out["created"]] == [
        ("องค์การบริหารส่วนตำบลท่าข้าม", "อบต.", "ต.ท่าข้าม อ.หาดใหญ่ จ.สงขลา"),
        ("เทศบาลนครหาดใหญ่", "ทน.", "ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา")]


def test_import_creates_then_a_second_import_skips_and_an_abbreviated_name_is_the_same_body(tmp_path):
    path = write(tmp_path, "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n")
    out = run(path)
    assert out["committed"] and out["counts"]["create"] == 1
    org = Organisation.objects.get(code="6900101")
    assert org.name_th == "องค์การบริหารส่วนตำบลท่าข้าม" and org.kind == "sao"
    assert org.area.name_th == "ท่าข้าม" and org.area.parent.name_th == "หาดใหญ่"
    again = write(tmp_path, ",องค์การบริหารส่วนตำบล ท่าข้าม,,สงขลา,หาดใหญ่,ท่าข้าม\n", name="again.csv")
    out = run(again)
    assert out["counts"] == {"create": 0, "update": 0, "skip": 1}
    assert Organisation.objects.filter(name_th__contains="ท่าข้าม", kind="sao", area__code__startswith="90").count() == 1


def test_a_national_body_loaded_before_is_updated_not_doubled(tmp_path):
    pao = Organisation.objects.get(kind="pao", area__code="83")
    out = run(write(tmp_path, "6830000,อบจ.ภูเก็ต,อบจ.,ภูเก็ต,,\n"))
    assert out["counts"]["update"] == 1 and out["updated"][0]["changes"] == {"code": ["", "6830000"]}
    pao.refresh_from_db()
    assert pao.code == "6830000" and Organisation.objects.filter(kind="pao", area__code="83").count() == 1


def _errors(out):
    return [e["text"] for e in out["errors"]]


def test_bad_rows_are_refused_in_thai_with_row_and_column_and_nothing_is_written(tmp_path):
    path = write(tmp_path, "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n"          # 2 ok
                           "6900199,องค์การบริหารส่วนตำบลท่าข้าม,,สงขลา,หาดใหญ่,ท่าข้าม\n"  # 3 same LAO
                           "6900101,อบต.คอหงส์,อบต.,สงขลา,หาดใหญ่,คอหงส์\n"           # 4 code twice
                           "6900103,อบต.ไม่มีจริง,อบต.,สงขลา,หาดใหญ่,ไม่มีจริง\n"        # 5 no such subdistrict
                           "6900104,ท่าช้าง,สหกรณ์,สงขลา,บางกล่ำ,ท่าช้าง\n")            # 6 unknown kind
    before = Organisation.objects.count()
    out = run(path)
    errors = _errors(out)
    assert not out["committed"] and Organisation.objects.count() == before
    assert any(e.startswith("แถวที่ 3 คอลัมน์ ชื่อ อปท.:") and "ซ้ำกับแถวที่ 2" in e for e in errors)
    assert any(e.startswith("แถวที่ 4 คอลัมน์ รหัส:") and "6900101 ใช้ซ้ำกับแถวที่ 2" in e for e in errors)
    assert any(e.startswith("แถวที่ 5 คอลัมน์ ตำบล:") and "ไม่พบตำบล “ไม่มีจริง” ในอำเภอหาดใหญ่" in e for e in errors)
    assert any(e.startswith("แถวที่ 6 คอลัมน์ ประเภท:") and "ไม่รู้จักประเภท “สหกรณ์”" in e for e in errors)
    assert len(errors) == 4


def test_a_code_already_held_by_another_body_is_refused(tmp_path):
    run(write(tmp_path, "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n"))
    out = run(write(tmp_path, "6900101,อบต.คอหงส์,อบต.,สงขลา,หาดใหญ่,คอหงส์\n", name="b.csv"))
    assert any("รหัส 6900101 เป็นของ “องค์การบริหารส่วนตำบลท่าข้าม” อยู่แล้ว" in e for e in _errors(out))


def test_excel_with_thai_headers_below_a_title_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ทะเบียนองค์กรปกครองส่วนท้องถิ่น จังหวัดสงขลา"])
    ws.append(["รหัส อปท.", "ชื่อ อปท.", "ประเภท", "จังหวัด", "อำเภอ", "ตำบล"])
    ws.append([6900101, "อบต.ท่าข้าม", "องค์การบริหารส่วนตำบล", "สงขลา", "หาดใหญ่", "ท่าข้าม"])
    wb.save(tmp_path / "registry.xlsx")
    result = read_registry(tmp_path / "registry.xlsx")
    assert result.ok, result.errors
    assert [(r.code, r.name_th) for r in result.of("create")] == [("6900101", "องค์การบริหารส่วนตำบลท่าข้าม")]
    assert commit_registry(result) and Organisation.objects.filter(code="6900101").exists()


def test_a_province_scope_refuses_rows_of_other_provinces(tmp_path):
    path = write(tmp_path, "6900101,อบต.ท่าข้าม,อบต.,สงขลา,หาดใหญ่,ท่าข้าม\n")
    result = read_registry(path, scope=Area.objects.get(code="83"))
    assert not result.ok and "จังหวัดสงขลา ไม่อยู่ในความดูแลของคุณ" in str(result.errors[0])
    assert not commit_registry(result)
