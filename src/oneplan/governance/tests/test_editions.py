"""Editions: a new edition starts from the one in force with its reason, published editions cannot be
changed (by the rules and by the models themselves), and the element-level diff between editions."""
import logging
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oneplan.governance.diff import diff_plans
from oneplan.governance.locks import PublishedPlanLocked, allow_published_changes
from oneplan.governance.models import AuditEntry
from oneplan.governance.services import editions_of, perform, start_edition
from oneplan.governance.workflow import current_state
from oneplan.plans.interchange import dump_plan, load_plan
from oneplan.plans.models import BudgetLine, Element, Link, Plan, Project
from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory, UserFactory

from .conftest import acting_as, heard, login, member

REASON = "ปรับโครงการให้สอดคล้องกับงบประมาณปี 2570"


@pytest.fixture
def choeng_thale(db):
    """The demo LAO plan in force, its editor, executive and local development committee secretary."""
    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    committee = OrganisationFactory(key="t-ct-local-dev", kind="committee", committee_type="local_development",
                                    parent=plan.owner, name_th="คณะกรรมการพัฒนาเทศบาลตำบลเชิงทะเล")
    return plan, member(plan.owner, "editor", "t-ct-editor"), member(plan.owner, "approver", "t-ct-mayor"), \
        member(committee, "secretary", "t-ct-secretary")


def test_a_new_edition_is_a_draft_copy_that_supersedes_the_one_in_force(choeng_thale):
    plan, editor, _mayor, _secretary = choeng_thale
    new = start_edition(plan, editor, edition_type="review", reason=REASON, edition_year=2569)
    assert (new.status, new.supersedes, new.edition_reason) == ("draft", plan, REASON)
    assert new.key != plan.key and new.edition_label == "ทบทวน ครั้งที่ 1/2569"
    assert new.elements.count() == plan.elements.count() > 0
    old_items = dump_plan(plan)["elements"]
    assert dump_plan(new)["elements"] == old_items  # the same content, links, KPIs and budgets
    plan.refresh_from_db()
    assert plan.status == "in_force"  # the old one stays in force until the new one is announced
    assert AuditEntry.objects.filter(plan_id=new.pk, action="edition", user=editor).exists()
    assert editions_of(new) == [plan, new]


def test_the_reason_is_required(choeng_thale):
    plan, editor, *_ = choeng_thale
    with pytest.raises(ValidationError) as exc:
        start_edition(plan, editor, edition_type="addition", reason="  ")
    assert "เหตุผลความจำเป็น" in exc.value.message_dict["reason"][0]


def test_only_one_new_edition_at_a_time(choeng_thale):
    plan, editor, *_ = choeng_thale
    start_edition(plan, editor, edition_type="review", reason=REASON)
    with pytest.raises(ValidationError, match="กำลังจัดทำอยู่แล้ว"):
        start_edition(plan, editor, edition_type="change", reason=REASON)


def test_a_new_edition_starts_only_from_the_edition_in_force_and_by_the_owner(choeng_thale, world):
    plan, *_ = choeng_thale
    draft = PlanFactory(owner=world.town, status="draft")
    for target, user in ((draft, world.users.editor), (plan, world.users.other_editor),
                         (draft, world.users.superuser)):
        with pytest.raises(PermissionDenied):
            start_edition(target, user, edition_type="review", reason=REASON)
    assert AuditEntry.objects.filter(action="refused", message__startswith="start_edition").count() == 3


def test_when_the_new_edition_comes_into_force_the_old_one_is_superseded(choeng_thale):
    plan, editor, mayor, secretary = choeng_thale
    new = heard(start_edition(plan, editor, edition_type="addition", reason=REASON))
    for action, user, extra in (("open_consultation", editor, {}), ("submit_local_dev", editor, {}),
                                ("approve_local_dev", secretary, {"meeting_number": "1/2570",
                                                                  "meeting_date": timezone.localdate(),
                                                                  "resolution": "เห็นชอบ"}),
                                ("announce", mayor, {})):
        new.refresh_from_db()
        perform(new, action, user, expected_state=current_state(new).code, **extra)
    plan.refresh_from_db()
    new.refresh_from_db()
    assert (new.status, plan.status) == ("in_force", "superseded")
    assert plan.transitions.get().reason.startswith("แทนที่โดย")
    # one edition in force on any day: the old one until the day the new one was announced
    assert plan.in_force_until == new.in_force_from == timezone.localdate()
    assert list(Plan.objects.in_force().filter(pk__in=[plan.pk, new.pk])) == [new]
    yesterday = timezone.localdate() - timedelta(days=1)
    assert list(Plan.objects.in_force(on=yesterday).filter(pk__in=[plan.pk, new.pk])) == [plan]


def test_editing_an_element_of_a_published_plan_is_refused_at_the_model_and_logged(choeng_thale, caplog):
    plan, editor, *_ = choeng_thale
    element = plan.elements.first()
    title = element.title_th
    element.title_th = "แก้ไขโดยไม่ผ่านขั้นตอน"
    with caplog.at_level(logging.WARNING, logger="oneplan.security"), acting_as(editor), \
            pytest.raises(PublishedPlanLocked):
        element.save()
    assert Element.objects.get(pk=element.pk).title_th == title
    assert AuditEntry.objects.get(plan_id=plan.pk, action="refused").user == editor
    assert "t-ct-editor" in caplog.text


def test_a_superuser_editing_a_published_element_on_the_web_is_refused_and_logged(client, choeng_thale, world):
    plan, *_ = choeng_thale
    element = plan.elements.filter(kind="issue").first()
    response = login(client, world.users.superuser).post(
        reverse("plans:element_edit", args=[element.pk]),
        {"kind": element.kind, "code": element.code, "title_th": "แก้ไขฉบับที่ประกาศแล้ว", "version": element.version})
    assert response.status_code == 403
    assert Element.objects.get(pk=element.pk).title_th == element.title_th
    assert AuditEntry.objects.filter(plan_id=plan.pk, action="refused", user=world.users.superuser).count() == 1


def test_an_editor_editing_a_published_element_on_the_web_is_refused_and_logged(client, choeng_thale):
    plan, editor, *_ = choeng_thale
    element = plan.elements.filter(kind="issue").first()
    response = login(client, editor).post(reverse("plans:element_edit", args=[element.pk]),
                                          {"kind": "issue", "code": element.code, "title_th": "x", "version": 1})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="refused", user=editor, message__contains="element").exists()


def test_system_loaders_still_update_reference_plans_in_place(choeng_thale):
    plan, *_ = choeng_thale
    data = dump_plan(plan)
    data["elements"][0]["title_en"] = "Updated by the reference loader"
    with allow_published_changes():  # what the operator's load-reference / load-demo commands do
        load_plan(data, trusted=True)
    assert plan.elements.get(code=data["elements"][0]["code"]).title_en == "Updated by the reference loader"


def test_two_people_editing_the_same_element_the_second_is_told_and_nothing_is_lost(client, world, lao_plan):
    element = ElementFactory(plan=lao_plan, code="1", title_th="ประเด็นเดิม")
    url = reverse("plans:element_edit", args=[element.pk])
    first = {"kind": "issue", "code": "1", "title_th": "ฉบับของคนแรก", "version": element.version}
    second = {**first, "title_th": "ฉบับของคนที่สอง"}  # opened the same version before the first saved
    assert login(client, world.users.editor).post(url, first).status_code == 302
    response = login(client, world.users.editor2).post(url, second)
    assert response.status_code == 200
    assert "ถูกแก้ไขโดยผู้อื่น" in response.content.decode()
    element.refresh_from_db()
    assert element.title_th == "ฉบับของคนแรก"


# --- diff ------------------------------------------------------------------------------------------

def _edition(key, elements, supersedes=None, owner="choeng-thale-municipality"):
    return load_plan({"format": "oneplan-plan/1", "plan": {
        "key": key, "kind": "lao_local", "title_th": "แผนทดสอบการเปรียบเทียบ", "owner": owner,
        "start_year": 2566, "end_year": 2570, "status": "draft", "supersedes": supersedes},
        "elements": elements}, trusted=True).plan  # as a new edition is made: it supersedes the old one


def _el(code, title, parent=None, kind="issue", **extra):
    return {"code": code, "parent": parent, "kind": kind, "title_th": title, **extra}


def _kpi(targets):
    return {"unit": "ร้อยละ", "targets": targets}


def _project(amount):
    return {"budgets": [{"year": 2567, "amount": amount, "source": "lao_own", "stage": "plan"}]}


@pytest.fixture
def two_editions(db):
    old = _edition("t-diff-old", [
        _el("1", "พัฒนาโครงสร้างพื้นฐาน"), _el("2", "การท่องเที่ยวยั่งยืน"),
        _el("2.1", "จำนวนนักท่องเที่ยว", "2", "kpi", kpi=_kpi({"2567": "5", "2568": "6"})),
        _el("2.2", "ปรับปรุงถนนเลียบชายหาด", "2", "project", project=_project("500000")),
        _el("3", "ประเด็นที่ถูกยกเลิก"), _el("4", "สิ่งแวดล้อมและขยะ")])
    new = _edition("t-diff-new", [
        _el("1", "พัฒนาโครงสร้างพื้นฐานและระบบน้ำประปา"), _el("2", "การท่องเที่ยวยั่งยืน"),
        _el("2.1", "จำนวนนักท่องเที่ยว", "2", "kpi", kpi=_kpi({"2567": "5", "2568": "8"})),
        _el("2.2", "ปรับปรุงถนนเลียบชายหาด", "1", "project", project=_project("650,000")),
        _el("5", "สิ่งแวดล้อมและขยะ"), _el("6", "เมืองอัจฉริยะ")], supersedes="t-diff-old")
    return old, new


def test_diff_reports_each_kind_of_change(two_editions):
    by_kind = {}
    for change in diff_plans(*two_editions):
        by_kind.setdefault(change.kind, []).append(change)
    assert [c.code for c in by_kind["added"]] == ["6"]
    assert [c.code for c in by_kind["removed"]] == ["3"]
    assert [c.code for c in by_kind["reworded"]] == ["1"]
    assert sorted(c.code for c in by_kind["moved"]) == ["2.2", "5"]  # re-parented; renumbered 4 → 5
    assert by_kind["kpi_targets"][0].details == ["ปี 2568: 6 → 8"]
    assert "500,000 → 650,000" in by_kind["budgets"][0].details[0]


def test_diff_page_and_excel_export(client, two_editions):
    old, new = two_editions
    login(client, UserFactory(username="t-diff-admin", is_superuser=True, is_staff=True))
    page = client.get(reverse("governance:diff", args=[new.pk]))
    assert page.status_code == 200 and "เมืองอัจฉริยะ" in page.content.decode()
    export = client.get(reverse("governance:diff_export", args=[new.pk]), {"against": old.pk})
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert rows[0][:2] == ["การเปลี่ยนแปลง", "รหัส"]
    assert ["ประเด็นที่ถูกยกเลิก"] == [r[2] for r in rows[1:] if r[1] == "3"]


def test_a_draft_edition_cannot_be_compared_by_the_public(client, two_editions):
    old, new = two_editions
    assert client.get(reverse("governance:diff", args=[new.pk])).status_code == 404


def test_owner_membership_is_what_matters_not_the_organisation_name(db):
    # guard against matching organisations by name: two bodies with the same name are different owners
    a = OrganisationFactory(name_th="เทศบาลตำบลบางเทา")
    b = OrganisationFactory(name_th="เทศบาลตำบลบางเทา")
    plan = PlanFactory(owner=a)
    user = member(b, "editor", "t-same-name")
    assert not user.has_perm("plans.change_plan", plan)


def test_a_plan_the_operator_loaded_in_force_is_frozen_for_every_later_load(world):
    data = {"format": "oneplan-plan/1", "plan": {
        "key": "t-imported-in-force", "kind": "lao_local", "title_th": "แผนที่ประกาศใช้แล้ว (นำเข้า)",
        "owner": "t-town", "start_year": 2566, "end_year": 2570, "status": "in_force"},
        "elements": [_el("1", "ประเด็นที่ 1")]}
    with allow_published_changes():
        plan = load_plan(data, trusted=True).plan   # only a system load may write a plan in force
    assert plan.elements.count() == 1
    data["elements"].append(_el("2", "ประเด็นที่เพิ่มผ่านการนำเข้าซ้ำ"))
    for user in (world.users.editor, world.users.superuser, None):
        with acting_as(user), pytest.raises(PublishedPlanLocked), transaction.atomic():
            load_plan(data, trusted=True)  # even a system load may not change the published edition
    assert plan.elements.count() == 1


def test_a_frozen_edition_loses_nothing_to_queryset_writes_or_the_admin(client, choeng_thale, world):
    plan, *_ = choeng_thale
    before = dump_plan(plan)
    element = plan.elements.filter(kind="project").first()
    for write in (lambda: Element.objects.filter(plan=plan).update(title_th="x"),
                  lambda: Element.objects.filter(pk=element.pk).delete(),
                  lambda: Link.objects.filter(source__plan=plan).delete(),
                  lambda: BudgetLine.objects.filter(project__element__plan=plan, stage="plan").update(amount=1),
                  lambda: Element.objects.bulk_create([Element(plan=plan, code="x-new", kind="issue", title_th="x")]),
                  lambda: plan.delete()):
        with pytest.raises(PublishedPlanLocked), transaction.atomic():
            write()
    assert dump_plan(plan) == before


def test_budget_stages_past_planning_are_still_recorded_on_the_plan_in_force(choeng_thale):
    plan, *_ = choeng_thale
    project = Project.objects.filter(element__plan=plan).first()
    line = BudgetLine.objects.create(project=project, fiscal_year=2568, stage="disbursed", amount=1000)
    BudgetLine.objects.filter(pk=line.pk).update(amount=2000)
    assert BudgetLine.objects.get(pk=line.pk).amount == 2000
    with pytest.raises(PublishedPlanLocked), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(stage="plan")  # it would change the plan's own figures
