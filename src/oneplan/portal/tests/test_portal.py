"""The transparency portal: a province and an organisation at a glance, figures equal to the budget view,
charts with tables, CSV and an embeddable page; drafts never appear."""
import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from oneplan.areas.models import Area
from oneplan.monitoring import budgetview
from oneplan.testing.factories import ElementFactory, PlanFactory

pytestmark = pytest.mark.django_db
MARK = "ร่างที่ไม่ควรปรากฏบนหน้าความโปร่งใส"


def test_the_province_page_shows_plans_in_force_budget_and_consultation_but_no_draft(client):
    draft = PlanFactory(status="draft", title_th=MARK, area=Area.objects.get(code="83"))
    ElementFactory(plan=draft, title_th=MARK)
    page = client.get(reverse("portal:province", args=["83"])).content.decode()
    assert "แผนพัฒนาท้องถิ่น" in page and MARK not in page
    assert 'data-echarts="master_plan"' in page and "<script>" not in page
    assert reverse("portal:chart_csv", args=["83", "sdg"]) in page and "&lt;iframe" in page


def test_chart_data_equal_the_budget_view_and_sum_to_the_total(client):
    area = Area.objects.get(code="83")
    budget = budgetview.area_budget(area)
    response = client.get(reverse("portal:chart_csv", args=["83", "source"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    items, total = rows[1:-1], rows[-1]
    assert Decimal(total[1]) == budget.total
    assert sum(Decimal(r[1]) for r in items) == budget.total  # every baht once, by source
    assert {r[0] for r in items} == {g.label for g in budget.by_source if g.amount}


def test_a_chart_can_be_embedded_on_another_site(client):
    response = client.get(reverse("portal:chart", args=["83", "master_plan"]))
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert client.get(reverse("portal:province", args=["83"]))["X-Frame-Options"] == "DENY"  # only the embed
    assert client.get(reverse("portal:chart", args=["83", "nonsense"])).status_code == 404


def test_an_organisation_page_lists_its_plans_in_force(client):
    page = client.get(reverse("portal:organisation", args=["choeng-thale-municipality"])).content.decode()
    assert "เชิงทะเล" in page and "แผนพัฒนาท้องถิ่น" in page


def _csv_total(response) -> Decimal:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][0] == "รวม"
    return Decimal(rows[-1][1])


def test_an_lao_page_has_its_own_budget_charts_equal_to_its_share_of_the_province(client):
    from django.db.models import Sum

    from oneplan.organisations.models import Organisation
    from oneplan.plans.editions import in_force_q
    from oneplan.plans.models import BudgetLine

    org = Organisation.objects.get(key="choeng-thale-municipality")
    page = client.get(reverse("portal:organisation", args=[org.key])).content.decode()
    assert 'data-echarts="sdg"' in page and reverse("portal:org_chart_csv", args=[org.key, "sdg"]) in page
    # one figure, three paths: the LAO's chart data, its line in the province's budget view, and its lines
    by_chart = _csv_total(client.get(reverse("portal:org_chart_csv", args=[org.key, "source"])))
    in_province = next(g.amount for g in budgetview.area_budget(Area.objects.get(code="83")).by_org
                       if g.key == str(org.pk))
    by_lines = BudgetLine.objects.filter(project__element__plan__in=org.plans.filter(in_force_q()),
                                         stage="plan").aggregate(s=Sum("amount"))["s"]
    assert by_chart == in_province == by_lines and by_chart > 0
    embed = client.get(reverse("portal:org_chart", args=[org.key, "master_plan"]))
    assert embed.status_code == 200 and org.name_th in embed.content.decode()


def test_an_organisation_without_an_area_has_no_chart_but_a_page(client):
    from oneplan.testing.factories import OrganisationFactory

    org = OrganisationFactory(key="t-portal-no-area", area=None)
    assert client.get(reverse("portal:organisation", args=[org.key])).status_code == 200
    assert client.get(reverse("portal:org_chart_csv", args=[org.key, "sdg"])).status_code == 404
