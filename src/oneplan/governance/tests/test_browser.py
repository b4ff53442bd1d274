"""User story in a real browser: the ก.บ.จ. secretary approves a plan submitted to the committee."""
from pathlib import Path

import pytest
from django.utils import timezone

import oneplan.demo
from oneplan.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted_plan(transactional_db):
    """Only what the story needs (areas without subdistricts, the Phuket bodies), then a provincial
    plan submitted to ก.บ.จ.ภูเก็ต by the provincial office."""
    from oneplan.areas.loader import load_areas
    from oneplan.governance.services import perform
    from oneplan.organisations.loader import load_organisations
    from oneplan.organisations.models import Organisation
    from oneplan.testing.factories import MembershipFactory, PlanFactory, UserFactory

    load_areas(with_subdistricts=False)
    load_organisations(Path(oneplan.demo.__file__).parent / "data" / "organisations.json")
    office, kbj = Organisation.objects.get(key="phuket-provincial-office"), Organisation.objects.get(key="phuket-kbj")
    editor = UserFactory(username="office-editor")
    MembershipFactory(user=editor, organisation=office, role="editor")
    MembershipFactory(user=UserFactory(username="kbj-secretary"), organisation=kbj, role="secretary")
    plan = PlanFactory(key="phuket-provincial-draft", kind="provincial", owner=office, area=office.area,
                       title_th="ร่างแผนพัฒนาจังหวัดภูเก็ต ฉบับทบทวน")
    perform(plan, "submit_kbj", editor, expected_state="draft", reason="ทดสอบ: รับฟังความคิดเห็นแล้วนอกระบบ")
    return plan


def test_secretary_approves_a_submitted_plan(live_server, page, submitted_plan):
    login(page, live_server, "kbj-secretary")
    page.goto(f"{live_server.url}{submitted_plan.get_absolute_url()}")
    page.get_by_label("ครั้งที่ประชุม (ครั้งที่/ปี พ.ศ.)").first.fill("๒/๒๕๖๙")
    today = timezone.localdate()  # a committee meets on or after the day the plan reached it
    page.get_by_label("วันที่ประชุม (พ.ศ.)").first.fill(f"{today.day}/{today.month}/{today.year + 543}")
    page.get_by_label("มติที่ประชุม").first.fill("ที่ประชุมมีมติเห็นชอบร่างแผนพัฒนาจังหวัด")
    page.get_by_role("button", name="ให้ความเห็นชอบ (บันทึกการประชุม)").click()
    state = page.get_by_test_id("workflow-state")
    state.wait_for()
    assert state.inner_text() == "ก.บ.จ. ให้ความเห็นชอบแล้ว"
    assert page.get_by_text("ที่ประชุมมีมติเห็นชอบร่างแผนพัฒนาจังหวัด").is_visible()
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == "approved"
    step = submitted_plan.transitions.get(action="approve_kbj")
    assert (step.user.username, step.meeting_number, step.committee.key) == ("kbj-secretary", "2/2569", "phuket-kbj")
