"""Browser tests (Chromium): a citizen comments on an element of an open draft and follows the
answer; a facilitator enters a breakout group's proposal on a phone-sized screen."""
from datetime import date, timedelta

import pytest

from oneplan.conftest import settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# `browser` is the shared headless-Chromium fixture of src/oneplan/conftest.py.


@pytest.fixture
def consultation(transactional_db):
    from oneplan.consultation.models import ConsultationRound, Event
    from oneplan.testing.factories import ElementFactory, MembershipFactory, PlanFactory, UserFactory

    plan = PlanFactory(status="consultation", title_th="ร่างแผนพัฒนาท้องถิ่นทดสอบเบราว์เซอร์")
    issue = ElementFactory(plan=plan, code="1", kind="issue", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    strategy = ElementFactory(plan=plan, code="1.1", kind="strategy", parent=issue, title_th="ก่อสร้างถนนและทางเท้า")
    round_ = ConsultationRound.objects.create(plan=plan, title="รับฟังความคิดเห็นร่างแผน", status="open",
                                              opens_on=date.today() - timedelta(days=1), responsible="ปลัด")
    event = Event.objects.create(plan=plan, round=round_, title="เวทีประชาคม", starts_on=date.today(), venue="ศาลา")
    group = event.groups.create(theme="เสาหลักด้านเศรษฐกิจ", element=issue)
    planner = UserFactory(username="facilitator")
    MembershipFactory(user=planner, organisation=plan.owner, role="editor")
    return {"round": round_, "strategy": strategy, "group": group, "planner": planner}


def test_citizen_comments_on_an_element_and_follows_the_answer(live_server, page, consultation):
    from oneplan.consultation.models import Answer, Comment

    strategy = consultation["strategy"]
    page.goto(live_server.url + consultation["round"].get_absolute_url())
    page.locator(f"#form-{strategy.pk} a").click()          # htmx loads the form for this element
    form = page.locator(f"#form-{strategy.pk} form")
    form.locator("textarea[name=text]").fill("ขอทางเท้ากว้างขึ้น <script>alert(1)</script> 🚶")
    form.locator("select[name=sector]").select_option("citizen")
    form.locator("button[type=submit]").click()
    follow_link = page.locator(f"#form-{strategy.pk} .follow-link a")
    follow_link.wait_for()
    comment = Comment.objects.get()
    assert comment.element_id == strategy.pk and comment.text.endswith("🚶")
    url = follow_link.get_attribute("href")

    Answer.objects.create(comment=comment, outcome="accepted", element=strategy, text="ขยายทางเท้าในแนวทาง 1.1 แล้ว")
    page.goto(live_server.url + url)
    assert "ขยายทางเท้าในแนวทาง 1.1 แล้ว" in page.content()
    assert page.locator("article.comment .body").inner_text().startswith("ขอทางเท้ากว้างขึ้น <script>")


def test_facilitator_enters_a_proposal_on_a_phone(live_server, browser, consultation):
    from oneplan.consultation.models import Comment

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/consultation/groups/{consultation['group'].pk}/")
    page.fill("input[name=username]", "facilitator")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(f"**/consultation/groups/{consultation['group'].pk}/")
    button = page.locator("button.big")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target across the phone
    page.fill("textarea[name=text]", "ตั้งตลาดชุมชนริมทะเลทุกวันเสาร์")
    page.locator("label.check").tap()
    button.tap()
    page.locator(".proposal").first.wait_for()
    assert "ตั้งตลาดชุมชนริมทะเลทุกวันเสาร์" in page.locator(".proposal").first.inner_text()
    assert page.locator("textarea[name=text]").input_value() == ""   # ready for the next proposal
    proposal = Comment.objects.get()
    assert proposal.group_id == consultation["group"].pk and proposal.kind == "new_project"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    settle(page)
    context.close()
