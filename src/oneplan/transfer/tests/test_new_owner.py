"""An import whose header names an LAO the registry does not know: matched after normalising the
abbreviations, created with the plan when geothai knows its place, and every dry run shows what it read."""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from oneplan.organisations.models import Organisation
from oneplan.plans.models import Plan
from oneplan.transfer import services

pytestmark = pytest.mark.django_db


def cli(path, *args):
    out = io.StringIO()
    try:
        call_command("import_excel", str(path), "--json", *args, stdout=out, stderr=io.StringIO())
    except CommandError:
        pass
    return json.loads(out.getvalue())


def test_dry_run_says_it_will_create_the_lao_and_shows_what_it_read(workbook):
    path = workbook(owner="องค์การบริหารส่วนตำบลท่าข้าม อำเภอหาดใหญ่ จังหวัดสงขลา")
    before = Organisation.objects.count()
    out = cli(path, "--dry-run")
    assert out["creates"] == ["จะสร้าง องค์การบริหารส่วนตำบลท่าข้าม (อบต.) ต.ท่าข้าม อ.หาดใหญ่ จ.สงขลา"]
    assert out["plan"]["owner"].startswith("lao-9011") and out["plan"]["area"].startswith("9011")
    assert len(out["projects"]) == 5 and out["elements"]
    assert Organisation.objects.count() == before and not Plan.objects.filter(key=out["plan"]["key"]).exists()


def test_commit_creates_the_lao_with_its_plan_in_one_go(workbook):
    path = workbook(owner="อบต.ไม้ขาว")   # the header goes on: อำเภอถลาง จังหวัดภูเก็ต
    out = cli(path)
    assert out["committed"], out["errors"]
    org = Organisation.objects.get(key=out["plan"]["owner"])
    assert (org.name_th, org.kind, org.area.name_th, org.area.parent.name_th) == (
        "องค์การบริหารส่วนตำบลไม้ขาว", "sao", "ไม้ขาว", "ถลาง")
    assert Plan.objects.get(owner=org).elements.filter(kind="project").count() == 5
    again = cli(workbook(owner="องค์การบริหารส่วนตำบล ไม้ขาว", name="again.xlsx"), "--dry-run")
    assert again["creates"] == [] and again["plan"]["owner"] == org.key and again["plan_exists"]


def test_a_failed_commit_creates_no_organisation(workbook, monkeypatch):
    path = workbook(owner="อบต.ไม้ขาว")
    result = services.read_file(path)
    assert result.new_owner is not None and services.check(result)
    from oneplan.plans import interchange

    def broken(*args, **kwargs):
        raise interchange.InterchangeError(["ทดสอบ: เขียนไม่ได้"])

    monkeypatch.setattr(services, "load_plan", broken)
    before = Organisation.objects.count()
    assert services.commit(result) is None
    assert Organisation.objects.count() == before


def test_the_owner_is_found_by_its_abbreviated_name(lao, workbook):
    out = cli(workbook(owner="ทต.ทดสอบนำเข้า"), "--dry-run")
    assert out["plan"]["owner"] == lao.key and out["creates"] == []


def test_an_unknown_lao_whose_place_is_not_in_geothai_is_listed_beside_the_content(workbook):
    out = cli(workbook(owner="องค์การบริหารส่วนตำบลไม่มีจริง"), "--dry-run")
    error = out["errors"][0]["text"]
    assert "ไม่ทราบหน่วยงานเจ้าของแผน" in error and "ไม่พบตำบล “ไม่มีจริง” ในอำเภอถลาง" in error
    assert len(out["projects"]) == 5 and not out["ok"]


def test_a_wrong_period_for_the_chosen_plan_still_shows_the_content(workbook, phuket_plan):
    plan = Plan.objects.filter(owner__kind__in=["sao", "subdistrict_municipality"]).exclude(
        start_year=2566).first() or Plan.objects.exclude(start_year=2566).first()
    out = cli(workbook(), "--dry-run", "--plan", plan.key)
    assert any("ไม่ตรงกับแผนที่เลือก" in e["text"] for e in out["errors"])
    assert len(out["projects"]) == 5
