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


def test_generated_drafts_are_second_editions_that_count_for_nothing(db):
    from oneplan.core.thai import search_tokens
    from oneplan.plans.models import Element

    call_command("generate_province", "--province", "50", "--lao", "2", "--agencies", "1",
                 "--projects-per-plan", "6")
    area = Area.objects.get(code="50")
    before = budgetview.area_budget(area).total
    call_command("generate_province", "--province", "50", "--lao", "2", "--agencies", "1",
                 "--projects-per-plan", "6", "--drafts")
    in_force = Plan.objects.filter(key__startswith="gen-50-", status="in_force")
    drafts = Plan.objects.filter(key__startswith="gen-50-", status="draft")
    assert drafts.count() == in_force.count() == 1 + 1 + 2 + 1
    assert {d.supersedes_id for d in drafts} == set(in_force.values_list("pk", flat=True))
    for draft in drafts:
        old = draft.supersedes
        assert sorted(draft.elements.values_list("code", flat=True)) == sorted(old.elements.values_list("code", flat=True))
        assert all(e.carried_from.plan_id == old.pk and e.carried_from.code == e.code for e in draft.elements.all())
    assert BudgetLine.objects.filter(project__element__plan__in=drafts).count() == \
        BudgetLine.objects.filter(project__element__plan__in=in_force).count()
    assert budgetview.area_budget(area).total == before          # a draft never counts
    project = Element.objects.filter(plan__in=in_force, kind="project").first()
    assert project.search_text == " " + " ".join(search_tokens(project.title_th)) + " "
    assert " ก่อสร้าง " in " ".join(Element.objects.filter(plan__in=drafts).values_list("search_text", flat=True)) or \
        " ถนน " in " ".join(Element.objects.filter(plan__in=drafts).values_list("search_text", flat=True))
