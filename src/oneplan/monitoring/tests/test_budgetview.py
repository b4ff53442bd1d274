from decimal import Decimal

import pytest

from oneplan.areas.models import Area
from oneplan.governance.locks import allow_published_changes
from oneplan.monitoring import budgetview
from oneplan.plans.models import BudgetLine, Element, Link, Plan
from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory

from .conftest import make_project


@pytest.fixture
def province(db):
    return Area.objects.get(code="50")   # Chiang Mai: no demo plans there


def _mp(code):
    return Element.objects.get(plan__key="master-plans-2566", code=code)


@pytest.fixture
@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def two_orgs(province):
    district = province.children.order_by("code").first()
    org_a = OrganisationFactory(kind="sao", area=district)
    org_b = OrganisationFactory(kind="provincial_agency", area=province)
    plan_a = PlanFactory(owner=org_a, area=district, status="in_force")
    plan_b = PlanFactory(owner=org_b, area=province, kind="agency", status="in_force")
    issue_a = ElementFactory(plan=plan_a, kind="issue", code="1")
    Link.objects.create(source=issue_a, target=_mp("05"))
    Link.objects.create(source=issue_a, target=_mp("16"))
    strategy_a = ElementFactory(plan=plan_a, parent=issue_a, kind="strategy", code="1.1")
    issue_b = ElementFactory(plan=plan_b, kind="issue", code="1")
    Link.objects.create(source=issue_b, target=_mp("07"))
    make_project(plan_a, strategy_a, "โครงการส่งเสริมการท่องเที่ยวชุมชน",
                 [(2567, "100.01", "lao_own"), (2568, "200000.00", "lao_subsidy")])
    make_project(plan_b, issue_b, "โครงการก่อสร้างถนน", [(2567, "1500000.55", "function"),
                                                         (2567, "99.99", "function", "request")])
    return plan_a, plan_b


def test_totals_equal_the_sum_of_budget_lines_exactly(province, two_orgs):
    data = budgetview.area_budget(province)
    assert data.total == Decimal("1700100.56")
    expected = sum(BudgetLine.objects.filter(project__element__plan__in=two_orgs, stage="plan")
                   .values_list("amount", flat=True), Decimal(0))
    assert data.total == expected
    for groups in (data.by_source, data.by_year, data.by_org, data.by_issue, data.by_master_plan,
                   data.by_milestone, data.by_sdg):
        assert sum((g.amount for g in groups), Decimal(0)) == expected
    assert sum((sum(cells, Decimal(0)) for _g, cells in data.matrix), Decimal(0)) == expected
    assert data.project_count == 2 and data.plan_count == 2


def test_rolled_up_by_master_plan_with_exact_split(province, two_orgs):
    data = budgetview.area_budget(province)
    by_mp = {g.key: g.amount for g in data.by_master_plan}
    # project A (200100.01) reaches master plans 05 and 16: split to the satang
    assert by_mp["05"] + by_mp["16"] == Decimal("200100.01")
    assert {by_mp["05"], by_mp["16"]} == {Decimal("100050.00"), Decimal("100050.01")}
    assert by_mp["07"] == Decimal("1500000.55")
    sources = {g.key: g.amount for g in data.by_source}
    assert sources == {"lao_own": Decimal("100.01"), "lao_subsidy": Decimal("200000.00"),
                       "function": Decimal("1500000.55")}


def test_stage_and_year_filters(province, two_orgs):
    assert budgetview.area_budget(province, stage="request").total == Decimal("99.99")
    assert budgetview.area_budget(province, year=2568).total == Decimal("200000.00")


def test_sankey_runs_from_national_strategy_to_organisations(province, two_orgs):
    sankey = budgetview.area_budget(province).sankey["series"][0]
    names = {n["name"] for n in sankey["data"]}
    assert any(n.startswith("ยุทธศาสตร์ชาติ 2") for n in names)
    assert any(n.startswith("แผนแม่บท 05") for n in names)
    assert two_orgs[0].owner.name_th[:40] in names
    # what leaves the national layer equals what reaches the organisations
    into_orgs = sum(link["value"] for link in sankey["links"] if link["target"] in
                    {p.owner.name_th[:40] for p in two_orgs})
    assert into_orgs == pytest.approx(1700100.56)


@allow_published_changes()
def test_nearest_links_win(province, two_orgs):
    """A project under a strategy linked to master plan 03 counts for 03 only, not for what the
    issue above links to."""
    plan_a = two_orgs[0]
    strategy = plan_a.elements.get(code="1.1")
    Link.objects.create(source=strategy, target=_mp("03"))
    by_mp = {g.key: g.amount for g in budgetview.area_budget(province).by_master_plan}
    assert by_mp.get("03") == Decimal("200100.01")
    assert "05" not in by_mp


def test_phuket_demo_province_adds_up(db):
    phuket = Area.objects.get(code="83")
    data = budgetview.area_budget(phuket)
    plans = budgetview.area_plans(phuket)
    assert Plan.objects.get(key="choeng-thale-local-2566-2570") in plans
    expected = sum(BudgetLine.objects.filter(project__element__plan__in=plans, stage="plan")
                   .values_list("amount", flat=True), Decimal(0))
    assert data.total == expected > 0
    assert sum((g.amount for g in data.by_issue), Decimal(0)) == expected
    assert any(g.key != budgetview.UNLINKED for g in data.by_issue)


def test_coverage_matches_the_budget_view(province, two_orgs):
    groups = budgetview.coverage(province)
    assert {g.key: g.amount for g in groups} == {g.key: g.amount for g in budgetview.area_budget(province).by_master_plan}
    assert next(g for g in groups if g.key == "07").organisations == {two_orgs[1].owner_id}
