"""Browser story: a new officer writes a KPI from the library with guidance beside the form."""
import re

import pytest
from playwright.sync_api import expect

from oneplan.conftest import ARTEFACTS, login, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_officer_writes_a_kpi_from_the_library_with_guidance_beside_the_form(demo_server, page):
    from oneplan.knowledge.guidance import in_force, load_reference
    from oneplan.organisations.models import Organisation
    from oneplan.plans.models import KPI
    from oneplan.testing.factories import ElementFactory, PlanFactory, editor_of

    load_reference()
    org = Organisation.objects.get(key="choeng-thale-municipality")
    officer = editor_of(org, "new-officer")
    plan = PlanFactory(owner=org, kind="lao_local", status="draft", title_th="ร่างแผนพัฒนาท้องถิ่น (เจ้าหน้าที่ใหม่)")
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="พัฒนาโครงสร้างพื้นฐาน")
    kpi = ElementFactory(plan=plan, parent=issue, kind="kpi", code="1.1", title_th="ตัวชี้วัดใหม่")
    KPI.objects.create(element=kpi)
    guidance = in_force("lao_local", "element", "kpi")

    login(page, demo_server, officer.username)
    page.goto(f"{demo_server.url}/plans/elements/{kpi.pk}/edit/")
    box = page.get_by_test_id("guidance")
    assert f"ตามแนวทางฉบับที่ {guidance.number}" in box.inner_text()
    assert guidance.checklist_items[0] in box.inner_text()
    page.fill("#kpi-library-q", "ถนน")
    choice = page.get_by_test_id("kpi-choice").filter(has_text="ร้อยละของถนนที่ได้มาตรฐาน")
    choice.get_by_role("button").click()
    expect(page.locator("#id_title_th")).to_have_value(re.compile("ถนน"))   # (CSP forbids eval-based waits)
    assert page.input_value("#id_kpi-unit") == "ร้อยละ"
    assert "ทะเบียนทางหลวงท้องถิ่น" in page.input_value("#id_kpi-data_source")
    settle(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "knowledge_kpi_from_library_with_guidance.png"), full_page=True)
    page.fill("#id_kpi-baseline", "40")
    page.click("form.stack.card button[type=submit]")
    page.wait_for_url(f"**/plans/elements/{kpi.pk}/")
    kpi.refresh_from_db()
    assert kpi.title_th == "ร้อยละของถนนที่ได้มาตรฐาน" and kpi.kpi.unit == "ร้อยละ"
    assert kpi.kpi.data_source.startswith("ทะเบียนทางหลวงท้องถิ่น")
