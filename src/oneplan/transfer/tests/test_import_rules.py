"""An import creates or updates a draft and nothing else: status, framework and supersedes are the
workflow's, a plan that is not editable or belongs to someone else is not written over, and the system's
own loaders (reference data, demo, new editions) keep working with trusted=True."""
import html
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from oneplan.governance.locks import allow_published_changes
from oneplan.plans.interchange import InterchangeError, dump_plan, load_plan
from oneplan.plans.models import Element, Plan, PlanStatus

from .conftest import db_counts, table_counts
from .test_text_import import SEED

pytestmark = pytest.mark.django_db
OWNER = "choeng-thale-municipality"
OTHER_ORGS_PLAN = "ko-sichang-direction"      # a draft of another municipality


def editor_json(**plan):
    return {"format": "oneplan-plan/1",
            "plan": {"key": "ct-imported-plan", "kind": "lao_local", "title_th": "แผนที่ผู้จัดทำนำเข้า",
                     "owner": OWNER, "start_year": 2566, "end_year": 2570, **plan},
            "elements": [{"code": "1", "kind": "issue", "title_th": "ประเด็นการพัฒนาเมือง",
                          "links": [{"plan": "national-strategy", "code": "2"}]}]}


HOSTILE_META = {"status": "in_force", "framework": "national-strategy", "supersedes": OTHER_ORGS_PLAN}


def _upload(client, tmp_path, data, name="plan.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with open(path, "rb") as fh:
        response = client.post(reverse("transfer:upload"), {"file": fh})
    assert response.status_code == 302
    return response.url.rstrip("/").split("/")[-1]


def test_web_import_of_a_plan_claiming_to_be_in_force_national_strategy_ends_as_a_draft(client, tmp_path,
                                                                                        demo_editor):
    national = dump_plan(Plan.objects.get(key="national-strategy"))
    other = dump_plan(Plan.objects.get(key=OTHER_ORGS_PLAN))
    client.force_login(demo_editor)
    token = _upload(client, tmp_path, editor_json(**HOSTILE_META))
    page = html.unescape(client.get(reverse("transfer:preview_result", args=[token])).content.decode())
    for field, value in HOSTILE_META.items():
        assert f"ช่อง {field}: ไม่ใช้ค่า “{value}” ในไฟล์" in page
    assert reverse("transfer:confirm", args=[token]) in page      # warnings only: the draft may be imported
    assert client.post(reverse("transfer:confirm", args=[token])).status_code == 302

    plan = Plan.objects.get(key="ct-imported-plan")
    assert (plan.status, plan.framework, plan.supersedes, plan.owner.key) == (PlanStatus.DRAFT, "", None, OWNER)
    assert dump_plan(Plan.objects.get(key="national-strategy")) == national
    assert dump_plan(Plan.objects.get(key=OTHER_ORGS_PLAN)) == other
    assert Plan.objects.filter(framework="national-strategy").count() == 1
    # links to the National Strategy still find the real one
    assert Element.objects.get(plan=plan, code="1").links_up.get().target.plan.key == "national-strategy"


def test_cli_import_json_forces_a_draft_too(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(editor_json(**HOSTILE_META)), encoding="utf-8")
    err = io.StringIO()
    call_command("import_json", str(path), stdout=io.StringIO(), stderr=err)
    plan = Plan.objects.get(key="ct-imported-plan")
    assert (plan.status, plan.framework, plan.supersedes) == (PlanStatus.DRAFT, "", None)
    assert "ช่อง status: ไม่ใช้ค่า “in_force”" in err.getvalue()


def test_reimport_keeps_the_editable_status_of_the_plan(tmp_path):
    load_plan(editor_json())
    Plan.objects.filter(key="ct-imported-plan").update(status=PlanStatus.RETURNED)
    report = load_plan(editor_json(status="in_force", title_th="ชื่อใหม่หลังแก้ตามความเห็น"))
    report.plan.refresh_from_db()
    assert (report.plan.status, report.plan.title_th) == (PlanStatus.RETURNED, "ชื่อใหม่หลังแก้ตามความเห็น")


def test_reimport_into_an_in_force_plan_is_refused_and_changes_nothing():
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    data = dump_plan(plan)
    before = json.dumps(data, ensure_ascii=False)
    data["elements"][0]["title_th"] = "แก้ไขแผนที่ประกาศใช้แล้วผ่านการนำเข้า"
    with pytest.raises(InterchangeError) as exc:
        load_plan(data)
    assert "เริ่มฉบับใหม่" in exc.value.problems[0]
    assert json.dumps(dump_plan(plan), ensure_ascii=False) == before


def test_a_key_of_another_owners_plan_is_refused_on_the_cli(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(editor_json(key=OTHER_ORGS_PLAN)), encoding="utf-8")
    before = dump_plan(Plan.objects.get(key=OTHER_ORGS_PLAN))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_json", str(path), stdout=io.StringIO(), stderr=err)
    assert "เป็นแผนของ" in err.getvalue() and "นำเข้าทับไม่ได้" in err.getvalue()
    assert dump_plan(Plan.objects.get(key=OTHER_ORGS_PLAN)) == before


def test_excel_into_an_in_force_plan_is_refused(lao, workbook):
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    err, before = io.StringIO(), db_counts()
    with pytest.raises(CommandError):
        call_command("import_excel", str(workbook()), "--plan", plan.key, stdout=io.StringIO(), stderr=err)
    assert "เริ่มฉบับใหม่" in err.getvalue() and db_counts() == before


def test_trusted_system_loads_keep_status_framework_and_supersedes():
    data = editor_json(**HOSTILE_META, key="t-trusted-edition")
    data["plan"]["framework"] = None   # a second National Strategy is not the point here
    with allow_published_changes():   # as the operator's loaders run
        plan = load_plan(data, trusted=True).plan
    assert (plan.status, plan.supersedes.key) == ("in_force", OTHER_ORGS_PLAN)


def test_reference_and_demo_loaders_load_what_their_files_say():
    """The session fixture ran frameworks.loader and demo.loader (trusted): their plans are in force,
    frameworks keep their code and editions their predecessor."""
    from oneplan.frameworks.loader import load_frameworks

    ns = Plan.objects.get(key="national-strategy")
    assert (ns.status, ns.framework) == ("in_force", "national-strategy")
    assert Plan.objects.get(key="master-plans-2566").supersedes.key == "master-plans-2561"
    assert Plan.objects.get(key="choeng-thale-local-2566-2570").status == "in_force"
    assert Plan.objects.get(key="songkhla-goals-2566-2585").status == "consultation"
    with allow_published_changes():   # as `oneplan load-reference` runs it
        assert all(r.unchanged and not r.created for r in load_frameworks())   # loading again: in place


# --- the time budget ------------------------------------------------------------------------------
@pytest.mark.parametrize("command,make", [
    ("import_excel", lambda tmp_path, workbook: workbook()),
    ("import_text", lambda tmp_path, workbook: SEED),
    ("import_json", lambda tmp_path, workbook: _write(tmp_path / "p.json", editor_json())),
])
def test_every_import_stops_when_its_time_is_up(command, make, tmp_path, workbook, lao):
    path, before = make(tmp_path, workbook), table_counts()
    err = io.StringIO()
    with override_settings(ONEPLAN_IMPORT_SECONDS=0), pytest.raises(CommandError):
        call_command(command, str(path), stdout=io.StringIO(), stderr=err)
    assert "การนำเข้าใช้เวลาเกิน 0 วินาที จึงหยุดโดยไม่บันทึกข้อมูลใด ๆ" in err.getvalue()
    assert table_counts() == before


def test_time_running_out_while_writing_rolls_the_whole_plan_back():
    from oneplan.transfer.limits import ImportTimeout

    calls = []

    data = editor_json()
    data["elements"] += [{"code": f"1.{i}", "parent": "1", "kind": "strategy", "title_th": f"แนวทาง {i}"}
                         for i in range(5)]

    def tick():   # called once per element to check, once per element to write, then per detail:
        calls.append(1)   # time is up once the plan row and all its elements are in the database
        if len(calls) > 2 * len(data["elements"]) + 1:
            assert Element.objects.filter(plan__key="ct-imported-plan").count() == len(data["elements"])
            raise ImportTimeout("หมดเวลา")
    before = table_counts()
    with pytest.raises(ImportTimeout):
        load_plan(data, tick=tick)
    assert table_counts() == before


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- files that are unusual but fine ----------------------------------------------------------------
def test_missing_optional_keys_are_their_defaults(client, tmp_path, demo_editor):
    data = editor_json()
    data["elements"] = [{"code": "1", "kind": "issue", "title_th": "ประเด็น"},        # no parent, links …
                        {"code": "1.1", "parent": "1", "kind": "project", "title_th": "โครงการถนน",
                         "project": {"budgets": [{"year": 2567, "amount": "250,000"}]}}]   # no stage, source
    client.force_login(demo_editor)
    token = _upload(client, tmp_path, data)
    assert client.get(reverse("transfer:preview_result", args=[token])).status_code == 200
    client.post(reverse("transfer:confirm", args=[token]))
    line = Plan.objects.get(key="ct-imported-plan").elements.get(code="1.1").project.budgets.get()
    assert (line.fiscal_year, line.stage, line.source, str(line.amount)) == (2567, "plan", "lao_own", "250000.00")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_json_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    path = tmp_path / "plan.json"
    path.write_bytes(json.dumps(editor_json(), ensure_ascii=False).encode(encoding))
    call_command("import_json", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Plan.objects.get(key="ct-imported-plan").elements.get().title_th == "ประเด็นการพัฒนาเมือง"


def test_tis620_text_is_read_as_thai_with_a_warning(tmp_path):
    Plan.objects.filter(key="phuket-provincial-2561-2564").update(status="revision")
    path = tmp_path / "plan-cp874.txt"
    path.write_bytes(SEED.read_text("utf-8").encode("cp874", errors="ignore"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_text", str(path), "--dry-run", "--json", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    vision = next(e["title_th"] for e in report["elements"] if e["kind"] == "vision")
    assert report["ok"] and vision.startswith("ศูนย์กลางการท่องเที่ยว") and vision.endswith("ภายในปี พ.ศ. 2579")
    assert any("TIS-620" in w["text"] for w in report["warnings"])


def test_codes_differing_only_by_invisible_characters_are_one_code():
    data = editor_json()
    data["elements"] = [{"code": "\u200b1\u2060", "kind": "issue", "title_th": "ประเด็น"},
                        {"code": "1.1\ufeff", "parent": "1", "kind": "strategy", "title_th": "แนวทาง"}]
    plan = load_plan(data).plan
    assert sorted(plan.elements.values_list("code", flat=True)) == ["1", "1.1"]


def test_excel_builder_codes_lose_invisible_characters():
    from oneplan.transfer.builder import PlanBuilder

    builder = PlanBuilder({"elements": [{"code": "1", "parent": None, "kind": "issue", "title_th": "ประเด็นเดิม"}]})
    assert builder.structure("issue", "ประเด็นเดิม ฉบับปรับถ้อยคำ", None, "1\u200b") == "1"   # same number: same code
    assert builder.structure("issue", "ประเด็นใหม่", None, "\u20602\ufeff") == "2"
