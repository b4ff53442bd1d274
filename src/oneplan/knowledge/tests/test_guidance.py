from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oneplan.governance.models import CalendarDeadline
from oneplan.knowledge import guidance
from oneplan.knowledge.models import GuidanceVersion
from oneplan.knowledge.rules import STEWARDS
from oneplan.testing.factories import ElementFactory, PlanFactory, UserFactory, editor_of

DECREE_S20 = "มาตรา 20"
LAO_REGULATION = "ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548"


@pytest.fixture
def steward(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=STEWARDS))
    return user


def test_reference_guidance_cites_the_rules_for_provincial_goals_and_lao_plans(knowledge_data):
    goal = guidance.in_force("provincial_goal", "element", "ultimate_goal")
    assert "พระราชกฤษฎีกาว่าด้วยการบริหารงานจังหวัดและกลุ่มจังหวัดแบบบูรณาการ พ.ศ. 2565" in goal.rule_reference
    assert DECREE_S20 in goal.rule_reference
    lao = guidance.in_force("lao_local", "element", "project")
    assert LAO_REGULATION in lao.rule_reference and lao.checklist_items and lao.template_links


def test_a_kind_without_its_own_guidance_gets_the_guidance_for_every_kind(knowledge_data):
    shown = guidance.in_force("cluster", "element", "kpi")
    assert shown is not None and shown.plan_kind == ""


def test_reloading_the_reference_file_keeps_steward_versions(knowledge_data, steward):
    base = guidance.in_force("", "element", "kpi")
    GuidanceVersion.objects.create(plan_kind="", topic_type="element", topic="kpi", number=base.number + 1,
                                   title="ฉบับปรับปรุง", rule_reference="x", explanation="y",
                                   effective_from=timezone.localdate())
    guidance.load_reference()
    assert guidance.in_force("", "element", "kpi").title == "ฉบับปรับปรุง"


def test_a_future_version_is_not_in_force_until_its_date(knowledge_data):
    base = guidance.in_force("", "element", "kpi")
    tomorrow = timezone.localdate() + timedelta(days=1)
    GuidanceVersion.objects.create(plan_kind="", topic_type="element", topic="kpi", number=base.number + 1,
                                   title="ฉบับหน้า", rule_reference="x", explanation="y", effective_from=tomorrow)
    assert guidance.in_force("", "element", "kpi").pk == base.pk
    assert guidance.in_force("", "element", "kpi", on=tomorrow).title == "ฉบับหน้า"


def test_a_published_version_cannot_take_effect_in_the_past(knowledge_data):
    g = guidance.in_force("", "element", "kpi")
    g.effective_from = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        g.full_clean()
    assert "วันที่มีผล" in str(exc.value) and "ย้อนหลัง" in str(exc.value)


def test_steward_writes_a_new_version_and_a_past_date_is_refused_in_thai(client, knowledge_data, steward):
    base = guidance.in_force("", "element", "kpi")
    client.force_login(steward)
    url = reverse("knowledge:guidance_new_version", args=[base.pk])
    past = timezone.localdate() - timedelta(days=1)
    data = {"title": "ตัวชี้วัดที่ดี (ปรับปรุง)", "rule_reference": base.rule_reference, "explanation": "อธิบายใหม่",
            "checklist": "ข้อ 1\nข้อ 2", "templates": "", "publish": "on",
            "effective_from": f"{past.day}/{past.month}/{past.year + 543}"}
    before = GuidanceVersion.objects.count()
    page = client.post(url, data)
    assert page.status_code == 200 and "ย้อนหลัง" in page.content.decode()
    assert GuidanceVersion.objects.count() == before      # nothing written
    today = timezone.localdate()
    data["effective_from"] = f"{today.day}/{today.month}/{today.year + 543}"
    assert client.post(url, data).status_code == 302
    new = guidance.in_force("", "element", "kpi")
    assert new.number == base.number + 1 and new.explanation == "อธิบายใหม่" and new.created_by == steward
    base.refresh_from_db()
    assert base.explanation != "อธิบายใหม่"                 # the old version is kept as it was shown


def test_only_stewards_write_guidance(client, knowledge_data):
    base = guidance.in_force("", "element", "kpi")
    client.force_login(UserFactory())
    assert client.get(reverse("knowledge:guidance_new_version", args=[base.pk])).status_code == 403


def test_element_form_shows_the_guidance_version_deadline_and_checklist(client, knowledge_data):
    plan = PlanFactory(kind="lao_local", status="draft")
    kpi = ElementFactory(plan=plan, kind="kpi", title_th="ร้อยละของถนนที่ได้มาตรฐาน")
    due = timezone.localdate() + timedelta(days=10)
    from oneplan.core.thai import fiscal_year

    CalendarDeadline.objects.create(plan_kind="lao_local", step="draft", fiscal_year=fiscal_year(due), due_date=due)
    client.force_login(editor_of(plan.owner))
    html = client.get(reverse("plans:element_edit", args=[kpi.pk])).content.decode()
    g = guidance.in_force("lao_local", "element", "kpi")
    assert f"ตามแนวทางฉบับที่ {g.number} (มีผล" in html and str(g.effective_from.year + 543) in html
    assert "เหลืออีก 10 วัน" in html
    assert g.checklist_items[0] in html


def test_workflow_panel_shows_the_step_guidance(client, knowledge_data):
    plan = PlanFactory(kind="lao_local", status="draft")
    client.force_login(editor_of(plan.owner))
    html = client.get(reverse("governance:panel", args=[plan.pk])).content.decode()
    g = guidance.in_force("lao_local", "step", "draft")
    assert g.title in html and f"ตามแนวทางฉบับที่ {g.number}" in html and LAO_REGULATION in html
