from decimal import Decimal

import pytest
from django.urls import reverse

from oneplan.areas.models import Area
from oneplan.governance.locks import allow_published_changes
from oneplan.monitoring.models import ReportingRound
from oneplan.testing.factories import MembershipFactory, UserFactory


def test_plan_actions_and_panels_are_declared(client, phuket_plan):
    page = client.get(phuket_plan.get_absolute_url()).content.decode()
    assert reverse("monitoring:plan", args=[phuket_plan.pk]) in page
    assert reverse("monitoring:quality", args=[phuket_plan.pk]) in page
    assert reverse("monitoring:budget_index") in page


@pytest.mark.parametrize("name", ["monitoring:plan", "monitoring:quality", "monitoring:report",
                                  "monitoring:plan_budget"])
def test_plan_pages_render(client, phuket_plan, name):
    response = client.get(reverse(name, args=[phuket_plan.pk]))
    assert response.status_code == 200
    assert phuket_plan.title_th[:30] in response.content.decode()


def test_element_panel_shows_the_kpi_checklist(client, plan, tree):
    plan.status = "in_force"
    plan.save()
    response = client.get(reverse("monitoring:element_panel", args=[tree["k1"].element.pk]))
    assert response.status_code == 200
    assert "ไม่พบปัญหา" in response.content.decode()
    response = client.get(reverse("monitoring:element_panel", args=[tree["p1"].element.pk]))
    assert "1,000,000" in response.content.decode()


def test_budget_view_and_duplicates_pages(client, db):
    response = client.get(reverse("monitoring:budget_view", args=["83"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-echarts="chart-sankey"' in text and 'id="chart-sankey"' in text
    assert "<script>" not in text   # CSP: no inline script
    assert client.get(reverse("monitoring:duplicates", args=["83"])).status_code == 200
    assert client.get(reverse("monitoring:budget_index")).status_code == 200


@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def test_drafts_stay_out_of_every_budget_view(client, plan, tree):
    """Totals never count a draft, whoever is looking (visibility only decides which pages open)."""
    from oneplan.monitoring.budgetview import area_budget, area_plans

    area = Area.objects.get(code="50")
    plan.area = area
    plan.save()
    assert plan in area_plans(area) and area_budget(area).total == Decimal("1500000.00")
    plan.status = "draft"
    plan.save()
    assert plan not in area_plans(area, UserFactory()) and plan not in area_plans(area)
    assert area_budget(area).total == 0


@pytest.mark.parametrize(("role", "status", "enter", "approve", "manage"), [
    ("editor", "in_force", True, True, True),
    ("approver", "in_force", False, True, False),
    ("viewer", "in_force", False, False, False),
    (None, "in_force", False, False, False),
    ("editor", "draft", True, True, True),
])
def test_permissions_matrix(plan, role, status, enter, approve, manage):
    plan.status = status
    plan.save()
    user = UserFactory()
    if role:
        MembershipFactory(user=user, organisation=plan.owner, role=role)
    assert user.has_perm("monitoring.enter_results", plan) is enter
    assert user.has_perm("monitoring.approve_results", plan) is approve
    assert user.has_perm("monitoring.manage_rounds", plan) is manage
    assert user.has_perm("monitoring.change_budget", plan) is enter


def test_outsiders_cannot_enter_results(client, plan, tree, round_):
    client.force_login(UserFactory())
    response = client.post(reverse("monitoring:round", args=[round_.pk]), {f"kpi_{tree['k1'].pk}": "1"})
    assert response.status_code == 403


def test_opening_a_round_computes_thai_fiscal_dates(client, plan, editor):
    client.force_login(editor)
    client.post(reverse("monitoring:round_create", args=[plan.pk]),
                {"period_type": "quarterly", "fiscal_year": "๒๕๖๗", "number": "1"})
    round_ = ReportingRound.objects.get(plan=plan)
    assert (round_.start_date.isoformat(), round_.end_date.isoformat()) == ("2023-10-01", "2023-12-31")
    assert round_.label == "ไตรมาสที่ 1 ปีงบประมาณ 2567"


def test_values_awaiting_approval_are_not_public(client, plan, tree, round_, editor):
    from decimal import Decimal

    from oneplan.monitoring import services

    services.save_entries(round_, editor, {tree["k1"].pk: Decimal("61.5")}, {})
    assert client.get(reverse("monitoring:round", args=[round_.pk])).status_code == 302
    assert "61.5" not in client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
    client.force_login(editor)
    assert "61.5" in client.get(reverse("monitoring:plan", args=[plan.pk])).content.decode()
