"""“What is waiting for me”: the plans whose next step is mine, with the calendar's deadline."""
from datetime import date

from django.urls import reverse

from oneplan.governance.dashboard import waiting_for
from oneplan.governance.models import CalendarDeadline
from oneplan.governance.services import perform

from .conftest import login

TODAY = date(2026, 11, 21)  # fiscal year 2570


def test_the_editor_sees_the_draft_with_days_left(world, lao_plan):
    CalendarDeadline.objects.create(plan_kind="lao_local", step="draft", fiscal_year=2570,
                                    due_date=date(2026, 12, 1))
    rows = waiting_for(world.users.editor, today=TODAY)
    assert [(w.plan, w.state.code, w.days_left) for w in rows] == [(lao_plan, "draft", 10)]
    assert [a.code for a in rows[0].actions] == ["open_consultation"]


def test_overdue_steps_come_first(world, lao_plan, provincial_plan):
    CalendarDeadline.objects.create(plan_kind="lao_local", step="local_dev", fiscal_year=2570,
                                    due_date=date(2026, 11, 1))
    perform(lao_plan, "open_consultation", world.users.editor, expected_state="draft")
    perform(lao_plan, "submit_local_dev", world.users.editor, expected_state="consultation")
    rows = waiting_for(world.users.town_dev_secretary, today=TODAY)
    assert [(w.plan, w.overdue, w.overdue_days) for w in rows] == [(lao_plan, True, 20)]
    assert waiting_for(world.users.kbj_secretary, today=TODAY) == []  # not before ก.บ.จ.
    assert waiting_for(world.users.viewer, today=TODAY) == []


def test_dashboard_page_lists_my_plans_and_is_in_the_menu(client, world, lao_plan):
    login(client, world.users.editor)
    page = client.get(reverse("governance:dashboard")).content.decode()
    assert lao_plan.title_th in page
    assert reverse("governance:transition", args=[lao_plan.pk, "open_consultation"]) in page
    assert reverse("governance:dashboard") in client.get(reverse("plans:list")).content.decode()


def test_signed_in_people_land_on_their_work_with_their_plans_and_comments_to_answer(client, world, lao_plan):
    from oneplan.consultation.models import Answer, Comment

    round_ = lao_plan.consultation_rounds.get()
    first = Comment.objects.create(round=round_, text="ขอให้ซ่อมถนนหมู่ 3")
    Comment.objects.create(round=round_, text="ขอไฟส่องสว่างริมทาง")
    Comment.objects.create(round=round_, text="ข้อความที่ซ่อนแล้ว", hidden=True)
    Answer.objects.create(comment=first, outcome="accepted", text="บรรจุในแผนแล้ว")
    response = client.post(reverse("login"), {"username": "t-editor", "password": "correct-horse-battery-9"})
    assert response.status_code == 302 and response.url == reverse("governance:dashboard")
    page = client.get(response.url)
    assert [(t.round, t.unanswered) for t in page.context["to_answer"]] == [(round_, 1)]   # hidden and answered don't count
    assert lao_plan in page.context["my_plans"]
    assert reverse("consultation:manage", args=[round_.pk]) in page.content.decode()
    # a viewer of another organisation sees neither
    client.force_login(world.users.other_editor)
    other = client.get(reverse("governance:dashboard")).context
    assert other["to_answer"] == [] and lao_plan not in other["my_plans"]
