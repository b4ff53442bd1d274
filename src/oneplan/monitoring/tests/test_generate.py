from decimal import Decimal

from django.core.management import call_command

from oneplan.areas.models import Area
from oneplan.monitoring import budgetview, duplicates
from oneplan.plans.models import BudgetLine, Plan, Project


def test_generated_province_is_consistent_and_replaceable(db):
    call_command("generate_province", "--province", "50", "--lao", "3", "--agencies", "2",
                 "--projects-per-plan", "20")
    plans = Plan.objects.filter(key__startswith="gen-50-")
    assert plans.count() == 1 + 1 + 3 + 2      # provincial plan, PAO, LAOs, agencies
    assert Project.objects.filter(element__plan__in=plans).count() == 6 * 20
    call_command("generate_province", "--province", "50", "--lao", "3", "--agencies", "2",
                 "--projects-per-plan", "20")
    assert Project.objects.filter(element__plan__in=plans).count() == 6 * 20
    area = Area.objects.get(code="50")
    data = budgetview.area_budget(area)
    assert data.total == sum(BudgetLine.objects.filter(project__element__plan__in=plans)
                             .values_list("amount", flat=True), Decimal(0))
    assert {g.key for g in data.by_master_plan} - {budgetview.UNLINKED}
    assert all(g.key != budgetview.UNLINKED for g in data.by_issue)
    assert isinstance(duplicates.find_duplicates(area), list)
