"""Fixtures: a small LAO plan built with factories (issue → objective → KPIs, strategy → projects),
its editor and approver, and an open half-yearly round."""
from decimal import Decimal

import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.plans.models import KPI, BudgetLine, KPITarget, Project
from oneplan.testing.factories import (
    ElementFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)


@pytest.fixture
def org(db):
    return OrganisationFactory()


@pytest.fixture
def plan(org):
    return PlanFactory(owner=org, start_year=2566, end_year=2570, status="in_force")


@pytest.fixture
def editor(org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role="editor")
    return user


@pytest.fixture
def approver(org):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role="approver")
    return user


@allow_published_changes()  # fixtures: KPIs of a plan already in force
def make_kpi(plan, parent, title, direction="increase", baseline="50", targets=None, **extra):
    element = ElementFactory(plan=plan, parent=parent, kind="kpi", title_th=title)
    kpi = KPI.objects.create(element=element, unit=extra.pop("unit", "ร้อยละ"), direction=direction,
                             baseline=None if baseline is None else Decimal(baseline),
                             baseline_year=extra.pop("baseline_year", 2565),
                             data_source=extra.pop("data_source", "สำนักปลัด"), **extra)
    for year, value in (targets or {2566: "60", 2567: "70"}).items():
        KPITarget.objects.create(kpi=kpi, year=year, value=Decimal(value))
    return kpi


@allow_published_changes()
def make_project(plan, parent, title, budgets=(), location=""):
    element = ElementFactory(plan=plan, parent=parent, kind="project", title_th=title)
    project = Project.objects.create(element=element, location=location)
    for year, amount, *rest in budgets:
        BudgetLine.objects.create(project=project, fiscal_year=year, amount=Decimal(amount),
                                  source=rest[0] if rest else "lao_own", stage=rest[1] if len(rest) > 1 else "plan")
    return project


@pytest.fixture
def tree(plan):
    """issue 1 → objective 1.1 (KPI k1, KPI k2) ; issue 1 → strategy 1.2 (projects p1, p2)."""
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    objective = ElementFactory(plan=plan, parent=issue, kind="objective", code="1.1",
                               title_th="ประชาชนมีน้ำใช้เพียงพอ")
    strategy = ElementFactory(plan=plan, parent=issue, kind="strategy", code="1.2", title_th="พัฒนาแหล่งน้ำ")
    k1 = make_kpi(plan, objective, "ร้อยละของครัวเรือนที่มีน้ำประปาใช้", baseline="50", targets={2567: "70"})
    k2 = make_kpi(plan, objective, "ปริมาณน้ำสูญเสียในระบบประปา", direction="decrease", baseline="30",
                  targets={2567: "20"}, unit="ร้อยละ")
    p1 = make_project(plan, strategy, "โครงการขยายเขตประปาหมู่ที่ 3", [(2567, "1000000.00")])
    p2 = make_project(plan, strategy, "โครงการขุดลอกสระน้ำสาธารณะ", [(2567, "500000.00")])
    return {"issue": issue, "objective": objective, "strategy": strategy, "k1": k1, "k2": k2, "p1": p1, "p2": p2}


@pytest.fixture
def round_(plan):
    from oneplan.monitoring.forms import period_dates
    from oneplan.monitoring.models import ReportingRound

    start, end = period_dates("half_yearly", 2567, 2)
    return ReportingRound.objects.create(plan=plan, period_type="half_yearly", fiscal_year=2567, number=2,
                                         start_date=start, end_date=end)
