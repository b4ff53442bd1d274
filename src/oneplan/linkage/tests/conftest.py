from decimal import Decimal

import pytest

from oneplan.plans.models import BudgetLine, Element, Link, Plan, Project
from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory, editor_of


def master_plan(code: str, key: str = "master-plans-2566") -> Element:
    return Element.objects.get(plan__key=key, code=code)


@pytest.fixture
def org(db):
    return OrganisationFactory()


@pytest.fixture
def editor(org):
    return editor_of(org)


@pytest.fixture
def road_plan(org):
    """A draft LAO plan: one issue linked to master plan 07, a project under it with a budget."""
    plan = PlanFactory(owner=org)
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    Link.objects.create(source=issue, target=master_plan("07"))
    project = ElementFactory(plan=plan, parent=issue, kind="project", code="1.1",
                             title_th="โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3")
    details = Project.objects.create(element=project)
    BudgetLine.objects.create(project=details, fiscal_year=2566, amount=Decimal("100000"))
    BudgetLine.objects.create(project=details, fiscal_year=2567, amount=Decimal("250000.50"))
    return plan


@pytest.fixture
def unlinked_project(org) -> Element:
    plan = PlanFactory(owner=org)
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การจัดการขยะ")
    return ElementFactory(plan=plan, parent=issue, kind="project", code="1.1",
                          title_th="โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้านนาดี")


__all__ = ["master_plan", "Plan"]
