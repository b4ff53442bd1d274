import io
import json

import pytest
from django.core.management import CommandError, call_command

from oneplan.plans.models import Plan

from .conftest import db_counts
from .test_text_import import SEED

pytestmark = pytest.mark.django_db


def test_import_excel_dry_run_json_lists_what_would_be_created(lao, workbook):
    out, before = io.StringIO(), db_counts()
    call_command("import_excel", str(workbook()), "--dry-run", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert db_counts() == before and report["ok"] and not report["committed"]
    assert report["plan"]["owner"] == lao.key
    assert {"kind": "issue", "code": "1", "title_th": "การพัฒนาโครงสร้างพื้นฐาน", "parent": None} in report["elements"]
    road = next(p for p in report["projects"] if p["title_th"].startswith("โครงการก่อสร้างถนน"))
    assert road["budgets"] == {"2566": "500000.00", "2567": "500000.00"} and road["parent"] == "1.1-P09"


def test_import_excel_commits_with_owner_option(lao, workbook):
    out = io.StringIO()
    call_command("import_excel", str(workbook(owner="")), "--owner", lao.key, "--json", stdout=out)
    assert json.loads(out.getvalue())["committed"]
    assert Plan.objects.get(owner=lao).elements.filter(kind="project").count() == 5


def test_import_text_json_and_error_exit(tmp_path):
    # the seed is the demo Phuket plan, in force: an import may only go into an editable edition
    Plan.objects.filter(key="phuket-provincial-2561-2564").update(status="revision")
    out = io.StringIO()
    call_command("import_text", str(SEED), "--dry-run", "--json", stdout=out)
    kinds = [e["kind"] for e in json.loads(out.getvalue())["elements"]]
    assert kinds.count("mission") == 4
    bad = tmp_path / "empty.txt"
    bad.write_text("ไม่มีอะไร", encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่มีการบันทึกข้อมูล"):
        call_command("import_text", str(bad), stdout=io.StringIO())


def test_export_plan_unknown_key():
    with pytest.raises(CommandError, match="ไม่พบแผน"):
        call_command("export_plan", "no-such-plan", "--format", "json", "--output", "-")
