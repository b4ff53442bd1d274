"""Deleting an element with everything below it, and undoing that exactly."""
from datetime import date
from decimal import Decimal

import pytest

from oneplan.monitoring.models import KPIResult, ProjectProgress, ReportingRound
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import KPI, BudgetLine, Element, KPITarget, Link, Plan, Project
from oneplan.testing.factories import ElementFactory, MembershipFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subtree():
    """A draft provincial plan: issue 1 → strategy 1.1 (link up to master plan 07; a LAO strategy links
    down to it) → project P1 (budgets, progress) and KPI K1 (targets, a result); issue 2 stays."""
    plan = PlanFactory(kind="provincial", status="draft", key="t-undo-provincial")
    lao = PlanFactory(kind="lao_local", status="draft", key="t-undo-lao", owner=plan.owner)
    keep_before = ElementFactory(plan=plan, kind="issue", code="0", order=0)
    issue = ElementFactory(plan=plan, kind="issue", code="1", order=1, title_th="การพัฒนาโครงสร้างพื้นฐาน")
    ElementFactory(plan=plan, kind="issue", code="2", order=2)
    strategy = ElementFactory(plan=plan, parent=issue, kind="strategy", code="1.1", order=0)
    master = Element.objects.get(plan__key="master-plans-2566", code="07")
    Link.objects.create(source=strategy, target=master, note="ตามแผนแม่บท")
    lao_issue = ElementFactory(plan=lao, kind="issue", code="L1")
    Link.objects.create(source=lao_issue, target=strategy)
    project_el = ElementFactory(plan=plan, parent=strategy, kind="project", code="P1", order=0)
    project = Project.objects.create(element=project_el, objective="ถนนดี", kpi_text="ถนน 2 กม.")
    BudgetLine.objects.create(project=project, fiscal_year=2567, amount=Decimal("1500000.55"), source="function")
    BudgetLine.objects.create(project=project, fiscal_year=2568, amount=Decimal("20.10"), source="lao_own")
    kpi_el = ElementFactory(plan=plan, parent=strategy, kind="kpi", code="K1", order=1)
    kpi = KPI.objects.create(element=kpi_el, unit="กม.")
    KPITarget.objects.create(kpi=kpi, year=2567, value=Decimal("2"))
    user = UserFactory()
    MembershipFactory(user=user, organisation=plan.owner, role="editor")
    rnd = ReportingRound.objects.create(plan=plan, fiscal_year=2567, start_date=date(2023, 10, 1),
                                        end_date=date(2024, 3, 31))
    KPIResult.objects.create(round=rnd, kpi=kpi, value=Decimal("1.5"), submitted_by=user)
    ProjectProgress.objects.create(round=rnd, project=project, physical_percent=Decimal("40"),
                                   disbursed_amount=Decimal("600000"), submitted_by=user)
    return {"plan": plan, "lao": lao, "issue": issue, "user": user, "keep": keep_before, "lao_issue": lao_issue}


def state(plan: Plan, lao: Plan) -> dict:
    """A full picture: both plans' dumps (elements, order, parents, KPIs, budgets, links), the ids,
    and the monitoring results."""
    return {"plan": dump_plan(plan), "lao": dump_plan(lao),
            "ids": sorted(plan.elements.values_list("pk", "code", "order", "parent_id")),
            "results": sorted(KPIResult.objects.filter(kpi__element__plan=plan).values_list("kpi_id", "value")),
            "progress": sorted(ProjectProgress.objects.filter(project__element__plan=plan)
                               .values_list("project_id", "physical_percent", "disbursed_amount"))}


def test_delete_then_undo_restores_the_whole_subtree_exactly(client, subtree):
    plan, lao = subtree["plan"], subtree["lao"]
    before = state(plan, lao)
    client.force_login(subtree["user"])
    response = client.post(f"/plans/elements/{subtree['issue'].pk}/delete/", follow=True)
    text = response.content.decode()
    assert "รวม 3 รายการย่อย" in text                  # 1.1, P1, K1 below issue 1
    assert set(plan.elements.values_list("code", flat=True)) == {"0", "2"}
    assert not Link.objects.filter(source=subtree["lao_issue"]).exists()
    assert not KPIResult.objects.filter(kpi__element__plan=plan).exists()

    response = client.post(f"/plans/{plan.pk}/elements/undo/", follow=True)
    assert "นำ “1 " in response.content.decode() and "รวม 3 รายการย่อย" in response.content.decode()
    assert state(plan, lao) == before
    # undo is spent
    again = client.post(f"/plans/{plan.pk}/elements/undo/", follow=True).content.decode()
    assert "ไม่มีรายการที่ลบให้เลิกทำ" in again


def test_undo_skips_links_from_elements_deleted_meanwhile(client, subtree):
    plan, lao = subtree["plan"], subtree["lao"]
    client.force_login(subtree["user"])
    client.post(f"/plans/elements/{subtree['issue'].pk}/delete/")
    subtree["lao_issue"].delete()
    response = client.post(f"/plans/{plan.pk}/elements/undo/", follow=True).content.decode()
    assert "ไม่ได้นำกลับ 1 รายการ" in response
    assert set(plan.elements.values_list("code", flat=True)) == {"0", "1", "2", "1.1", "P1", "K1"}
    assert not lao.elements.exists()


def test_a_leaf_delete_reports_no_children(client, subtree):
    client.force_login(subtree["user"])
    response = client.post(f"/plans/elements/{subtree['keep'].pk}/delete/", follow=True).content.decode()
    assert "รวม 0 รายการย่อย" in response
