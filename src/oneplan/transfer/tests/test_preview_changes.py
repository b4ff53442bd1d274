"""The import preview shows every changed value old → new, warns when the file was exported before the
plan's last change (a stale export would silently write 800,000 back over 900,000), and the success
message repeats the preview's counts."""
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from oneplan.plans.models import BudgetLine, Project
from oneplan.testing.factories import ElementFactory, PlanFactory, editor_of
from oneplan.transfer import exports, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    plan = PlanFactory(status="draft", start_year=2566, end_year=2570)
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    road = ElementFactory(plan=plan, parent=issue, kind="project", code="P1", title_th="ก่อสร้างถนน คสล. หมู่ 2")
    project = Project.objects.create(element=road)
    BudgetLine.objects.create(project=project, fiscal_year=2567, amount=Decimal("800000"))
    return plan


def _exported(plan) -> dict:
    return json.loads(exports.export(plan, "json"))


def _read(data: dict):
    return services.read_json_bytes(json.dumps(data, ensure_ascii=False).encode())


def test_a_stale_export_warns_and_shows_the_value_it_would_revert(draft):
    data = _exported(draft)
    BudgetLine.objects.filter(project__element__plan=draft).update(amount=Decimal("900000"))
    line = BudgetLine.objects.get(project__element__plan=draft)
    line.save()                       # the officer's later correction, through the normal save path
    road = draft.elements.get(code="P1")
    road.title_th = "ก่อสร้างถนน คสล. หมู่ 2 (แก้ไข)"
    road.save()

    result = _read(data)
    pv = services.preview(result)
    assert any("ส่งออกจาก OnePlan เมื่อ" in w.message and "แก้ไขหลังจากนั้น" in w.message for w in result.warnings)
    changes = {c.field: (c.old, c.new) for c in pv.changes["P1"]}
    assert changes["ชื่อ"] == ("ก่อสร้างถนน คสล. หมู่ 2 (แก้ไข)", "ก่อสร้างถนน คสล. หมู่ 2")
    budget = next(v for k, v in changes.items() if k.startswith("งบประมาณปี 2567"))
    assert budget == ("900,000.00", "800,000.00")
    assert "plan" not in next(k for k in changes if k.startswith("งบประมาณปี 2567"))   # Thai names, not codes


def test_a_fresh_export_does_not_warn(draft):
    result = _read(_exported(draft))
    services.preview(result)
    assert not any("ส่งออกจาก OnePlan" in w.message for w in result.warnings)


def test_an_excel_export_carries_its_export_time_and_warns_when_stale(draft, tmp_path):
    path = tmp_path / "p02.xlsx"
    path.write_bytes(exports.export(draft, "xlsx-p02"))
    road = draft.elements.get(code="P1")
    road.title_th = "ก่อสร้างถนน คสล. หมู่ 2 (ปรับชื่อ)"
    road.save()
    result = services.read_file(path, plan=draft.pk, filename="p02.xlsx")
    assert result.exported_at is not None
    services.preview(result)
    assert any("ส่งออกจาก OnePlan เมื่อ" in w.message for w in result.warnings)


def test_the_success_message_repeats_the_previews_counts(client, draft, tmp_path):
    data = _exported(draft)
    data["elements"][1]["title_th"] = "ก่อสร้างถนน คสล. หมู่ 2 และรางระบายน้ำ"
    data["elements"].append({"code": "P2", "parent": "1", "kind": "project", "title_th": "ขยายเขตไฟฟ้า หมู่ 5"})
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    client.force_login(editor_of(draft.owner))
    with open(path, "rb") as fh:
        token = client.post(reverse("transfer:upload"), {"file": fh}).url.rstrip("/").split("/")[-1]
    preview = client.get(reverse("transfer:preview_result", args=[token])).content.decode()
    assert "<del>ก่อสร้างถนน คสล. หมู่ 2</del>" in preview
    response = client.post(reverse("transfer:confirm", args=[token]), follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "สร้าง 1 แก้ไข 1 ลบ 0 คงเดิม 1 รายการ" in text


def test_a_budget_corrected_after_the_export_makes_it_stale_too(draft):
    data = _exported(draft)
    line = BudgetLine.objects.get(project__element__plan=draft)
    line.amount = Decimal("900000")
    line.save()                                   # budget lines carry no time stamp: the audit trail does
    result = _read(data)
    services.preview(result)
    assert any("แก้ไขหลังจากนั้น" in w.message for w in result.warnings)
