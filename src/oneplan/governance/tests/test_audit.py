"""The audit trail: who changed what and when, field by field, viewable per plan and per user, and
exportable; only those who may see a plan's history see it."""
import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneplan.governance.models import AuditEntry
from oneplan.governance.services import perform
from oneplan.plans.models import KPI, KPITarget
from oneplan.testing.factories import ElementFactory

from .conftest import acting_as, login


@pytest.fixture
def element(lao_plan):
    return ElementFactory(plan=lao_plan, code="1", title_th="ประเด็นเดิม")


def test_a_change_on_the_web_is_kept_with_who_and_before_after(client, world, element):
    login(client, world.users.editor).post(reverse("plans:element_edit", args=[element.pk]),
                                           {"kind": "issue", "code": "1", "title_th": "ประเด็นใหม่",
                                            "version": element.version})
    entry = AuditEntry.objects.filter(action="update", model="plans.element", object_id=str(element.pk)).latest("id")
    assert entry.user == world.users.editor
    assert entry.plan_id == element.plan_id
    assert entry.changes["title_th"] == ["ประเด็นเดิม", "ประเด็นใหม่"]
    assert "search_text" not in entry.changes  # derived columns are not noise in the trail


def test_creation_and_deletion_are_kept_with_the_values(world, element):
    pk = str(element.pk)
    with acting_as(world.users.editor):
        element.delete()
    deleted = AuditEntry.objects.get(action="delete", model="plans.element", object_id=pk)
    assert (deleted.user, deleted.changes["title_th"]) == (world.users.editor, ["ประเด็นเดิม", None])
    created = AuditEntry.objects.get(action="create", model="plans.element", object_id=pk)
    assert created.changes["code"] == [None, "1"]


def test_kpi_target_changes_are_traced_to_their_plan(world, lao_plan):
    kpi_element = ElementFactory(plan=lao_plan, kind="kpi", code="K1")
    kpi = KPI.objects.create(element=kpi_element, unit="ร้อยละ")
    with acting_as(world.users.editor):
        target = KPITarget.objects.create(kpi=kpi, year=2567, value=Decimal("5"))
        target.value = Decimal("7.5")
        target.save()
    entry = AuditEntry.objects.get(model="plans.kpitarget", action="update")
    assert (entry.plan_id, entry.user, entry.changes["value"]) == (lao_plan.pk, world.users.editor, ["5", "7.5"])


def test_workflow_steps_appear_in_the_trail(world, lao_plan):
    perform(lao_plan, "open_consultation", world.users.editor, expected_state="draft")
    assert AuditEntry.objects.filter(plan_id=lao_plan.pk, action="transition").exists()
    status = AuditEntry.objects.get(plan_id=lao_plan.pk, model="plans.plan", action="update")
    assert status.changes["status"] == ["draft", "consultation"]


def test_plan_audit_page_and_exports(client, world, element):
    with acting_as(world.users.editor):
        element.title_th = "ชื่อใหม่สำหรับส่งออก"
        element.save()
    login(client, world.users.viewer)
    url = reverse("governance:plan_audit", args=[element.plan_id])
    assert "ชื่อใหม่สำหรับส่งออก" in client.get(url).content.decode()
    response = client.get(url, {"format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads the Thai
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["เวลา", "ผู้ดำเนินการ", "การกระทำ"]
    assert any(r[1] == "t-editor" and "ชื่อใหม่สำหรับส่งออก" in r[7] for r in rows[1:])
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert any("ชื่อใหม่สำหรับส่งออก" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_another_organisation_cannot_read_a_plan_history(client, world, element):
    url = reverse("governance:plan_audit", args=[element.plan_id])
    assert login(client, world.users.other_editor).get(url).status_code == 404  # a draft: not even seen
    element.plan.status = "in_force"
    element.plan.save()
    assert client.get(url).status_code == 403
    assert AuditEntry.objects.filter(action="refused", user=world.users.other_editor).exists()


def test_per_user_trail_is_for_oneself_and_superusers(client, world, element):
    with acting_as(world.users.editor):
        element.title_th = "แก้โดยผู้จัดทำแผน"
        element.save()
    mine = reverse("governance:my_audit")
    theirs = reverse("governance:user_audit", args=["t-editor"])
    assert "แก้โดยผู้จัดทำแผน" in login(client, world.users.editor).get(mine).content.decode()
    assert login(client, world.users.viewer).get(theirs).status_code == 403
    assert login(client, world.users.superuser).get(theirs).status_code == 200
