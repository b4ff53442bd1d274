"""A browser story: a province administrator registers an SAO and invites its planner, who sets a
password and imports the SAO's ผ.02 workbook."""
import pytest

from oneplan.conftest import ARTEFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "oneplan-demo-2569"
PLANNER_PASSWORD = "blue-sea-harbour-417"


def test_a_province_administrator_registers_an_sao_and_invites_its_planner_who_imports_its_p02(
        demo_server, page, tmp_path):
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.organisations.models import Membership, Organisation
    from oneplan.plans.models import Plan
    from oneplan.transfer.tests import workbooks

    load_demo_accounts()
    server = demo_server
    # the administrator of Phuket registers อบต.ไม้ขาว (typed with its abbreviation)
    login(page, server, "demo-province", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{server.url}/organisations/manage/")
    page.fill("#id_name", "อบต.ไม้ขาว")
    page.fill("#id_district", "ถลาง")
    page.fill("#id_subdistrict", "ไม้ขาว")
    page.locator("button[name=register]").click()
    page.wait_for_load_state("networkidle")
    assert "ลงทะเบียน องค์การบริหารส่วนตำบลไม้ขาว แล้ว" in page.content()
    sao = Organisation.objects.get(name_th="องค์การบริหารส่วนตำบลไม้ขาว", kind="sao")
    assert sao.area.name_th == "ไม้ขาว"

    # … and invites its planner: a one-time link (and a code to hand over)
    page.select_option("#id_organisation", sao.key)
    page.select_option("#id_role", "editor")
    page.locator("button[name=invite]").click()
    link = page.locator("#invitation-link").get_attribute("href")
    assert page.locator("#invitation-code").inner_text()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "onboarding_admin_invitation.png"), full_page=True)

    # the planner opens the link in their own browser, chooses a name and sets a password
    page.context.clear_cookies()
    page.goto(link)
    page.fill("#id_username", "maikhao-planner")
    page.fill("#id_first_name", "สมศรี")
    page.fill("#id_password1", PLANNER_PASSWORD)
    page.fill("#id_password2", PLANNER_PASSWORD)
    page.get_by_role("button", name="ตั้งรหัสผ่านและเริ่มใช้งาน").click()
    page.wait_for_url("**/governance/")
    assert Membership.objects.filter(user__username="maikhao-planner", organisation=sao, role="editor").exists()

    # and imports the SAO's ผ.02 workbook: the header names the SAO, its district and province
    path = workbooks.build(tmp_path / "ผ02-อบต.ไม้ขาว.xlsx", "องค์การบริหารส่วนตำบลไม้ขาว",
                           [workbooks.infra_block(), workbooks.social_block()])
    page.goto(f"{server.url}/transfer/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="อัปโหลดและดูตัวอย่าง").click()
    confirm = page.get_by_role("button", name="ยืนยันการนำเข้า")
    confirm.wait_for()
    page.screenshot(path=str(ARTEFACTS / "onboarding_planner_preview.png"), full_page=True)
    confirm.click()
    page.wait_for_url("**/plans/**")
    plan = Plan.objects.get(owner=sao)
    assert plan.status == "draft" and plan.elements.filter(kind="project").count() == 5
    assert "นำเข้าเรียบร้อย" in page.content()
