"""Browser story: a LAO planner turns recurring flooding reports into a project of the next edition."""
import pytest

from oneplan.conftest import ARTEFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "oneplan-demo-2569"


def test_lao_planner_turns_recurring_flooding_reports_into_a_project_of_the_next_edition(page, demo_server):
    from django.contrib.auth import get_user_model

    from oneplan.clinic.models import Report, ReportProject
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.governance.services import start_edition
    from oneplan.plans.models import Element, Plan

    server = demo_server
    load_demo_accounts()
    # residents report the same flooding through Open311 (a LINE bot would do the same)
    refs = []
    for i in range(4):
        answer = page.request.post(f"{server.url}/open311/v2/requests.json", form={
            "service_code": "flooding", "address_id": "830303",
            "description": f"น้ำท่วมขังถนนหน้าบ้านทุกครั้งที่ฝนตก ท่อระบายน้ำเล็กเกินไป (ซอย {i + 1})"})
        assert answer.status == 201, answer.text()
        refs.append(answer.json()[0]["service_request_id"])
    editor = get_user_model().objects.get(username="demo-editor")
    in_force = Plan.objects.get(key="choeng-thale-local-2566-2570")
    draft = start_edition(in_force, editor, edition_type="review", reason="ทบทวนแผนตามปัญหาที่ประชาชนแจ้ง")

    login(page, server, "demo-editor", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{server.url}/clinic/planning/choeng-thale-municipality/")
    row = page.locator("tr", has_text="น้ำท่วมขัง").first
    row.wait_for()
    assert "4" in row.inner_text()
    row.get_by_role("link", name="เสนอเป็นโครงการ").click()
    page.wait_for_url("**/propose/830303/flooding/")
    page.select_option("#id_parent", index=1)
    page.fill("#id_title", "โครงการขยายท่อระบายน้ำแก้ปัญหาน้ำท่วมขัง ตำบลเชิงทะเล")
    page.get_by_role("button", name="เพิ่มโครงการในแผนฉบับร่าง").click()
    page.wait_for_url("**/plans/elements/**")
    problems = page.locator("#clinic-problems")
    problems.wait_for()
    for ref in refs:
        assert ref in problems.inner_text()
    page.screenshot(path=str(ARTEFACTS / "clinic_flooding_reports_become_a_project.png"), full_page=True)

    project = Element.objects.get(plan=draft, title_th__startswith="โครงการขยายท่อระบายน้ำ")
    assert set(ReportProject.objects.filter(element=project).values_list("report__reference", flat=True)) == set(refs)
    assert Report.objects.filter(reference__in=refs, responsible__key="choeng-thale-municipality").count() == 4
    # the group is addressed now: the planner's list no longer shows it
    page.goto(f"{server.url}/clinic/planning/choeng-thale-municipality/")
    assert page.locator("tr", has_text="น้ำท่วมขัง").count() == 0
