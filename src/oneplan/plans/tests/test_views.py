"""Planning officers read plans in the browser and edit them in the application itself."""
from decimal import Decimal

import pytest

from oneplan.plans.models import BudgetLine, Element, Link, Plan
from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db


def test_phuket_plan_page_shows_the_tree_from_vision_with_links_up(client, phuket_plan):
    page = client.get(phuket_plan.get_absolute_url()).content.decode()
    assert "ศูนย์กลางการท่องเที่ยว การศึกษา นวัตกรรมบริการในระดับนานาชาติ" in page
    for kind in ("vision", "mission", "ultimate_goal", "issue"):
        for el in phuket_plan.elements.filter(kind=kind):
            assert el.title_th.split()[0] in page
    assert "พ.ศ. 2561–2564" in page
    issue = phuket_plan.elements.get(code="1")
    target = issue.links_up.first().target
    assert target.title_th[:20] in page  # each element's upward links beside it


def test_plan_page_totals_budget_per_issue_and_year(client, phuket_plan):
    response = client.get(phuket_plan.get_absolute_url())
    rows = response.context["budget_rows"]
    total = sum(BudgetLine.objects.filter(project__element__plan=phuket_plan, stage="plan")
                .values_list("amount", flat=True), Decimal(0))
    assert response.context["budget_total"] == total > 0
    assert sum(r[2] for r in rows) == total


def test_drafts_are_not_public(client):
    draft = PlanFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor_of(draft.owner))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_editor_adds_and_edits_an_element_of_own_draft(client):
    plan = PlanFactory(status="draft")
    client.force_login(editor_of(plan.owner))
    response = client.post(f"/plans/{plan.pk}/elements/new/", {"kind": "issue", "code": "1",
                                                                "title_th": "การพัฒนาเศรษฐกิจฐานราก"})
    assert response.status_code == 302
    element = plan.elements.get(code="1")
    response = client.post(f"/plans/elements/{element.pk}/edit/", {
        "kind": "issue", "code": "1", "title_th": "การพัฒนาเศรษฐกิจฐานรากและการท่องเที่ยวชุมชน",
        "version": element.version})
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.title_th == "การพัฒนาเศรษฐกิจฐานรากและการท่องเที่ยวชุมชน"


def test_other_organisation_cannot_edit(client):
    plan = PlanFactory(status="draft")
    element = ElementFactory(plan=plan, code="1")
    outsider = editor_of(OrganisationFactory())
    client.force_login(outsider)
    response = client.post(f"/plans/elements/{element.pk}/edit/", {"kind": "issue", "code": "1", "title_th": "x"})
    assert response.status_code in (403, 404)
    element.refresh_from_db()
    assert element.title_th != "x"


def test_published_plan_cannot_be_edited_even_by_its_editor(client, phuket_plan):
    client.force_login(editor_of(phuket_plan.owner))
    vision = phuket_plan.elements.get(code="V")
    response = client.post(f"/plans/elements/{vision.pk}/edit/", {"kind": "vision", "code": "V", "title_th": "x"})
    assert response.status_code == 403
    vision.refresh_from_db()
    assert vision.title_th.startswith("ศูนย์กลางการท่องเที่ยว")


def test_duplicate_code_refused_with_thai_message_and_nothing_saved(client):
    plan = PlanFactory(status="draft")
    ElementFactory(plan=plan, code="1")
    client.force_login(editor_of(plan.owner))
    response = client.post(f"/plans/{plan.pk}/elements/new/", {"kind": "issue", "code": "1", "title_th": "ซ้ำ"})
    assert response.status_code == 200
    assert "รหัส “1” ซ้ำ" in response.content.decode()
    assert plan.elements.count() == 1


def _project(plan):
    element = ElementFactory(plan=plan, kind="project", code="P1", title_th="ก่อสร้างถนน คสล.")
    from oneplan.plans.models import Project

    Project.objects.create(element=element)
    return element


def _project_post(element, **budget):
    data = {"kind": "project", "code": element.code, "title_th": element.title_th, "version": element.version,
            "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
            "budget-MAX_NUM_FORMS": "1000", "budget-0-source": "lao_own", "budget-0-stage": "plan"}
    data.update({f"budget-0-{k}": v for k, v in budget.items()})
    return data


def test_budget_typed_with_thai_digits_and_commas_is_saved_exactly(client):
    plan = PlanFactory(status="draft")
    element = _project(plan)
    client.force_login(editor_of(plan.owner))
    response = client.post(f"/plans/elements/{element.pk}/edit/",
                           _project_post(element, fiscal_year="๒๕๖๗", amount="1,250,000.50 บาท"))
    assert response.status_code == 302
    line = BudgetLine.objects.get(project__element=element)
    assert (line.fiscal_year, line.amount) == (2567, Decimal("1250000.50"))


def test_a_new_project_is_written_whole_in_one_form_with_its_budget(client):
    plan = PlanFactory(status="draft")
    client.force_login(editor_of(plan.owner))
    page = client.get(f"/plans/{plan.pk}/elements/new/?kind=project").content.decode()
    assert 'name="project-objective"' in page and 'name="budget-0-amount"' in page   # ผ.02 fields at once
    data = {"kind": "project", "code": "P9", "title_th": "โครงการขยายเขตประปา หมู่ที่ 4",
            "project-objective": "ให้ครัวเรือนมีน้ำประปาใช้", "project-location": "หมู่ที่ 4",
            "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
            "budget-MAX_NUM_FORMS": "1000", "budget-0-source": "lao_own", "budget-0-stage": "plan",
            "budget-0-fiscal_year": "๒๕๖๘", "budget-0-amount": "350,000"}
    assert client.post(f"/plans/{plan.pk}/elements/new/", data).status_code == 302
    element = plan.elements.get(code="P9")
    assert element.project.objective == "ให้ครัวเรือนมีน้ำประปาใช้" and element.project.location == "หมู่ที่ 4"
    assert [(b.fiscal_year, b.amount) for b in element.project.budgets.all()] == [(2568, Decimal("350000"))]


def test_a_new_project_with_a_bad_budget_saves_nothing(client):
    plan = PlanFactory(status="draft")
    client.force_login(editor_of(plan.owner))
    data = {"kind": "project", "code": "P9", "title_th": "โครงการขยายเขตประปา",
            "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0",
            "budget-MAX_NUM_FORMS": "1000", "budget-0-source": "lao_own", "budget-0-stage": "plan",
            "budget-0-fiscal_year": "2599", "budget-0-amount": "350,000"}
    response = client.post(f"/plans/{plan.pk}/elements/new/", data)
    assert response.status_code == 200 and "นอกช่วงของแผน" in response.content.decode()
    assert not plan.elements.filter(code="P9").exists()


@pytest.mark.parametrize("budget,message", [
    ({"fiscal_year": "2567", "amount": "หนึ่งแสน"}, "ไม่ใช่จำนวนเงิน"),
    ({"fiscal_year": "2024", "amount": "1000"}, "ปี ค.ศ."),
    ({"fiscal_year": "2580", "amount": "1000"}, "นอกช่วงของแผน"),
])
def test_bad_budget_is_refused_naming_the_field_and_nothing_saved(client, budget, message):
    plan = PlanFactory(status="draft")
    element = _project(plan)
    client.force_login(editor_of(plan.owner))
    data = _project_post(element, **budget)
    data["title_th"] = "ชื่อใหม่ที่ไม่ควรถูกบันทึก"
    response = client.post(f"/plans/elements/{element.pk}/edit/", data)
    assert response.status_code == 200 and message in response.content.decode()
    element.refresh_from_db()
    assert element.title_th == "ก่อสร้างถนน คสล." and not BudgetLine.objects.filter(project__element=element).exists()


def test_plan_form_refuses_gregorian_year_and_reversed_period(client):
    org = OrganisationFactory()
    client.force_login(editor_of(org))
    before = Plan.objects.count()
    response = client.post("/plans/new/", {"title_th": "แผนทดสอบ", "kind": "lao_local", "owner": org.pk,
                                           "start_year": "2024", "end_year": "2028", "edition_type": "first"})
    assert "ปี ค.ศ." in response.content.decode()
    response = client.post("/plans/new/", {"title_th": "แผนทดสอบ", "kind": "lao_local", "owner": org.pk,
                                           "start_year": "2570", "end_year": "2566", "edition_type": "first"})
    assert "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น" in response.content.decode()
    assert Plan.objects.count() == before
    response = client.post("/plans/new/", {"title_th": "แผนทดสอบ", "kind": "lao_local", "owner": org.pk,
                                           "start_year": "๒๕๖๖", "end_year": "2570", "edition_type": "first"})
    assert response.status_code == 302 and Plan.objects.count() == before + 1


def test_link_added_upward_and_refused_downward(client):
    plan = PlanFactory(status="draft", kind="provincial")
    element = ElementFactory(plan=plan, code="1")
    master = Element.objects.get(plan__key="master-plans-2566", code="05")
    local = ElementFactory(plan=PlanFactory(kind="lao_local", status="in_force"), code="1")
    client.force_login(editor_of(plan.owner))
    client.post(f"/plans/elements/{element.pk}/links/", {"target": master.pk})
    assert Link.objects.filter(source=element, target=master).exists()
    client.post(f"/plans/elements/{element.pk}/links/", {"target": local.pk})
    assert not Link.objects.filter(source=element, target=local).exists()


def test_reorder_and_undo_delete(client):
    plan = PlanFactory(status="draft")
    first = ElementFactory(plan=plan, code="1", order=0)
    second = ElementFactory(plan=plan, code="2", order=1)
    ElementFactory(plan=plan, parent=second, code="2.1")
    client.force_login(editor_of(plan.owner))
    client.post(f"/plans/elements/{second.pk}/move/up/")
    assert list(plan.elements.filter(parent=None).order_by("order").values_list("code", flat=True)) == ["2", "1"]
    client.post(f"/plans/elements/{second.pk}/delete/")
    assert set(plan.elements.values_list("code", flat=True)) == {"1"}
    client.post(f"/plans/{plan.pk}/elements/undo/")
    assert set(plan.elements.values_list("code", flat=True)) == {"1", "2", "2.1"}
    assert first.pk in plan.elements.values_list("pk", flat=True)


def test_framework_element_shows_downward_traceability(client, phuket_plan):
    issue = phuket_plan.elements.get(code="1")
    master = issue.links_up.filter(target__plan__framework="master-plans").first().target
    page = client.get(master.get_absolute_url()).content.decode()
    assert issue.title_th[:30] in page


def test_area_and_organisation_browsing(client, phuket_plan):
    assert phuket_plan.title_th in client.get("/areas/83/").content.decode()
    assert "ภูเก็ต" in client.get("/areas/C-ANDAMAN/").content.decode()
    assert phuket_plan.title_th in client.get(phuket_plan.owner.get_absolute_url()).content.decode()


def test_anonymous_cannot_create_plans(client):
    assert client.get("/plans/new/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/plans/new/").status_code == 403


def test_the_link_picker_finds_framework_items_by_thai_words_and_by_code_grouped_by_plan(client):
    plan = PlanFactory(status="draft")
    road = ElementFactory(plan=plan, kind="project", code="P1", title_th="ก่อสร้างถนน")
    client.force_login(editor_of(plan.owner))
    url = f"/plans/elements/{road.pk}/link-candidates/"
    by_word = client.get(url, {"q": "ท่องเที่ยว"})
    groups = dict(by_word.context["groups"])
    assert groups and all(e.plan.rank < plan.rank for es in groups.values() for e in es)
    assert any(e.code == "05" and e.plan.key == "master-plans-2566" for es in groups.values() for e in es)
    assert all("superseded" != p.status for p in groups)          # old editions are not offered
    by_code = dict(client.get(url, {"q": "0501"}).context["groups"])
    assert by_code and all(e.code.startswith("0501") for es in by_code.values() for e in es)
    assert client.get(url, {"q": "คำที่ไม่มีอยู่จริงเลยสักแผน"}).context["groups"] == []
    # the picked radio posts to the same link form as before
    target = next(e for es in by_code.values() for e in es)
    client.post(f"/plans/elements/{road.pk}/links/", {"target": target.pk})
    assert road.links_up.filter(target=target).exists()


def test_the_link_picker_is_for_the_plans_editors_only(client):
    plan = PlanFactory(status="draft")
    road = ElementFactory(plan=plan, kind="project", code="P1", title_th="ก่อสร้างถนน")
    client.force_login(editor_of(OrganisationFactory()))
    assert client.get(f"/plans/elements/{road.pk}/link-candidates/", {"q": "ถนน"}).status_code in (403, 404)
