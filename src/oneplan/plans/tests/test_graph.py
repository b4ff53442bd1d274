"""Traceability: a project inherits the links of the strategy above it; a framework element sees
every element and project across the country that contributes to it, with budget."""
from decimal import Decimal

import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.plans import graph
from oneplan.plans.models import BudgetLine, Link, Plan, Project
from oneplan.testing.factories import ElementFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def chain():
    national = ElementFactory(plan=PlanFactory(kind="national_strategy", status="in_force"), kind="ns_strategy",
                              code="2")
    master = ElementFactory(plan=PlanFactory(kind="master_plan", status="in_force"), kind="master_plan", code="05")
    Link.objects.create(source=master, target=national)
    provincial_issue = ElementFactory(plan=PlanFactory(kind="provincial", status="in_force"), code="1")
    Link.objects.create(source=provincial_issue, target=master)
    lao_plan = PlanFactory(kind="lao_local", start_year=2566, end_year=2570, status="in_force")
    strategy = ElementFactory(plan=lao_plan, code="1")
    Link.objects.create(source=strategy, target=provincial_issue)
    project = ElementFactory(plan=lao_plan, parent=strategy, kind="project", code="P1")
    p = Project.objects.create(element=project)
    BudgetLine.objects.create(project=p, fiscal_year=2567, amount=Decimal("150000.50"))
    BudgetLine.objects.create(project=p, fiscal_year=2568, amount=Decimal("200000"))
    return national, master, provincial_issue, strategy, project


def test_project_chain_reaches_national_strategy_through_its_strategy(chain):
    national, master, provincial_issue, strategy, project = chain
    nodes = graph.upward_chain(project)
    assert [n.element for n in nodes] == [provincial_issue]
    assert nodes[0].via == strategy
    assert nodes[0].parents[0].element == master
    assert nodes[0].parents[0].parents[0].element == national
    assert graph.chain_reaches(project, "national_strategy")


def test_framework_element_sees_projects_and_budget_across_plans(chain):
    national, master, provincial_issue, strategy, project = chain
    ids = graph.contributors(national)
    assert {master.pk, provincial_issue.pk, strategy.pk, project.pk} <= ids
    c = graph.contribution(master)
    assert c.project_count == 1
    assert c.budget_by_year == {2567: Decimal("150000.50"), 2568: Decimal("200000.00")}
    assert c.budget_total == Decimal("350000.50")


def test_a_draft_contributes_nothing(chain):
    """Totals never count a draft: the same chain, with the LAO plan back in draft, counts nothing."""
    national, master, provincial_issue, strategy, project = chain
    Plan.objects.filter(pk=project.plan_id).update(status="draft")
    assert project.pk not in graph.contributors(national)
    assert graph.contribution(master).budget_total == 0
    assert project.pk in graph.contributors(national, also_plans=[project.plan_id])   # its own page may show it


def test_unlinked_project_has_no_path(chain):
    *_, project = chain
    loose = ElementFactory(plan=project.plan, kind="project", code="P2")
    assert not graph.chain_reaches(loose, "national_strategy")


def test_plan_budget_table_totals_per_issue_and_year(chain):
    *_, strategy, project = chain
    rows, years, col_totals, total = graph.plan_budget_table(project.plan)
    assert rows[0][0] == strategy
    assert years == [2566, 2567, 2568, 2569, 2570]
    assert col_totals[1] == Decimal("150000.50") and total == Decimal("350000.50")


def test_a_frameworks_stored_contribution_follows_the_editions_in_force(chain, client):
    """The element page of a framework element keeps its national figure for the day; the figure is the
    one the walk gives, and a plan leaving (or coming into) force changes it at once."""
    national, master, provincial_issue, strategy, project = chain
    url = f"/plans/elements/{master.pk}/"
    assert "350,000.50" in client.get(url).content.decode()
    stored, walked = graph.contribution_summary(master), graph.contribution(master)
    assert stored.budget_by_year == walked.budget_by_year and stored.project_count == 1
    assert (stored.element_count, stored.plan_count) == (walked.element_count, walked.plan_count)
    lao_plan = Plan.objects.get(pk=project.plan_id)
    lao_plan.status = "superseded"      # its successor came into force without these links
    lao_plan.save(update_fields=["status"])
    assert graph.contribution_summary(master).budget_total == 0
    assert "350,000.50" not in client.get(url).content.decode()
    with allow_published_changes():    # the operator's loader rewrites a frozen plan
        lao_plan.status = "in_force"
        lao_plan.save(update_fields=["status"])
        Project.objects.get(element=project).budgets.update(amount=Decimal("1"))
    assert graph.contribution_summary(master).budget_total == Decimal("2")
