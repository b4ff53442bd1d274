from datetime import date, timedelta

import pytest
from django.core.cache import cache

from oneplan.consultation.models import ConsultationRound, RoundStatus
from oneplan.testing.factories import ElementFactory, MembershipFactory, PlanFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def draft(db):
    """A draft plan in consultation with an issue, a strategy under it and a project."""
    plan = PlanFactory(status="consultation", title_th="ร่างแผนพัฒนาท้องถิ่นทดสอบ")
    issue = ElementFactory(plan=plan, code="1", kind="issue", title_th="การพัฒนาโครงสร้างพื้นฐาน", order=1)
    strategy = ElementFactory(plan=plan, code="1.1", kind="strategy", parent=issue, title_th="ก่อสร้างถนนและทางเท้า",
                              order=2)
    issue2 = ElementFactory(plan=plan, code="2", kind="issue", title_th="การพัฒนาคุณภาพชีวิต", order=3)
    return {"plan": plan, "issue": issue, "strategy": strategy, "issue2": issue2}


@pytest.fixture
def open_round(draft):
    return ConsultationRound.objects.create(
        plan=draft["plan"], title="รับฟังความคิดเห็นร่างแผนทดสอบ", opens_on=date.today() - timedelta(days=1),
        closes_on=date.today() + timedelta(days=30), status=RoundStatus.OPEN, responsible="ปลัดเทศบาล",
        invited_sectors=["citizen", "lao"])


@pytest.fixture
def planner(draft):
    user = UserFactory()
    MembershipFactory(user=user, organisation=draft["plan"].owner, role="editor")
    return user


@pytest.fixture
def moderator(draft):
    user = UserFactory()
    MembershipFactory(user=user, organisation=draft["plan"].owner, role="moderator")
    return user
