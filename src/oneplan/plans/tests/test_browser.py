"""User stories in a real browser (headless Chromium)."""
import pytest

from oneplan.conftest import login, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_the_phuket_plan_and_finds_its_vision(demo_server, page):
    page.goto(demo_server.url + "/")
    page.click("text=แผน >> nth=0")
    page.click("text=แผนพัฒนาจังหวัดภูเก็ต")
    vision = page.locator("#main").get_by_text("ศูนย์กลางการท่องเที่ยว การศึกษา นวัตกรรมบริการในระดับนานาชาติ")
    assert vision.first.is_visible()
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_text("โครงสร้างยุทธศาสตร์").is_visible()


def test_editor_edits_an_element_and_sees_the_change(demo_server, page):
    from oneplan.plans.models import Plan
    from oneplan.testing.factories import ElementFactory, PlanFactory, editor_of

    plan = PlanFactory(status="draft", title_th="ร่างแผนพัฒนาท้องถิ่นทดสอบ")
    element = ElementFactory(plan=plan, code="1", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    editor = editor_of(plan.owner, username="somchai")
    login(page, demo_server, editor.username)
    page.goto(f"{demo_server.url}{plan.get_absolute_url()}")
    page.click(f"#el-{element.pk} >> text=แก้ไข")
    page.fill("#id_title_th", "การพัฒนาโครงสร้างพื้นฐานและระบบน้ำประปา")
    page.click("button[type=submit] >> text=บันทึก")
    page.goto(f"{demo_server.url}{plan.get_absolute_url()}")
    assert page.get_by_text("การพัฒนาโครงสร้างพื้นฐานและระบบน้ำประปา").is_visible()
    assert Plan.objects.get(pk=plan.pk).elements.get(code="1").title_th.endswith("ระบบน้ำประปา")


def test_plan_page_works_on_a_phone(demo_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(demo_server.url + "/search/?q=ท่องเที่ยว")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling of the page itself
    settle(page)
    context.close()


def test_a_long_plan_folds_its_project_lists_and_a_link_to_a_project_opens_them(demo_server, page):
    from oneplan.plans.models import Plan

    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    project = plan.elements.filter(kind="project").order_by("order").first()
    page.goto(f"{demo_server.url}{plan.get_absolute_url()}")
    title = page.locator(f"#el-{project.pk} > .el > a.title")
    short = page.evaluate("document.documentElement.scrollHeight")
    assert not title.is_visible()                       # folded: the tree is a page, not 20,000 px
    page.get_by_role("button", name="แสดงโครงการและตัวชี้วัดทั้งหมด").click()
    assert title.is_visible() and page.evaluate("document.documentElement.scrollHeight") > short
    page.get_by_role("button", name="ย่อโครงการและตัวชี้วัด").click()
    assert not title.is_visible()
    page.goto(f"{demo_server.url}{plan.get_absolute_url()}#el-{project.pk}")
    page.reload()
    assert title.is_visible()                           # a link to one project opens its fold
