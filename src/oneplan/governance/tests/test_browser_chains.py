"""User stories in a real browser, one per approval chain: each plan starts as a draft, is heard by
the public, goes through its committees as the real roles click through the workflow panel, comes
into force, and is then replaced by a new edition that comes into force the same way."""
from pathlib import Path

import pytest
from django.utils import timezone

import oneplan.demo
import oneplan.organisations
from oneplan.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "oneplan-demo-2569"


def thai_today() -> str:
    d = timezone.localdate()
    return f"{d.day}/{d.month}/{d.year + 543}"


@pytest.fixture
def demo_bodies(transactional_db):
    """Areas (without subdistricts), the demo organisations and the demo accounts with their roles."""
    from oneplan.areas.loader import load_areas
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.organisations.loader import load_organisations

    load_areas(with_subdistricts=False)
    for package in (oneplan.organisations, oneplan.demo):  # reference bodies (ก.น.บ.), then the demo's
        load_organisations(Path(package.__file__).parent / "data" / "organisations.json")
    load_demo_accounts()


class Desk:
    """One browser page acting as one person after another (log out, log in as the next)."""

    def __init__(self, page, server):
        self.page, self.server = page, server

    def as_user(self, username, password=DEMO_PASSWORD):
        # the page's own htmx requests must land first: a late answer would set the last person's cookies
        self.page.wait_for_load_state("networkidle")
        self.page.context.clear_cookies()
        login(self.page, self.server, username, password)
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def open(self, obj):
        self.page.goto(f"{self.server.url}{obj.get_absolute_url()}")

    def state(self) -> str:
        badge = self.page.get_by_test_id("workflow-state")
        badge.wait_for()
        return badge.inner_text()

    def step(self, label, **fields):
        """Open the step's form in the plan's workflow panel, fill it, press its button."""
        box = self.page.locator("details.card", has=self.page.locator("summary", has_text=label)).first
        box.wait_for()
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        for name, value in fields.items():
            box.locator(f"[name={name}]").fill(value)
        box.get_by_role("button", name=label).click()
        self.page.wait_for_load_state("networkidle")

    def meeting(self, label, number):
        self.step(label, meeting_number=number, meeting_date=thai_today(),
                  resolution=f"ที่ประชุมมีมติเห็นชอบ (ครั้งที่ {number})")

    def hold_hearing(self, plan):
        """The plan's consultation round: opened for comments, then closed (its report is then final)."""
        page = self.page
        page.goto(f"{self.server.url}/consultation/plans/{plan.pk}/rounds/new/")
        page.fill("#id_title", f"รับฟังความคิดเห็นต่อ{plan.title_th}")
        page.fill("#id_opens_on", timezone.localdate().isoformat())
        page.fill("#id_responsible", "นักวิเคราะห์นโยบายและแผน")
        page.select_option("#id_status", "open")
        page.get_by_role("button", name="บันทึก").click()
        page.wait_for_url("**/manage/")
        page.goto(page.url.replace("/manage/", "/edit/"))
        page.select_option("#id_status", "closed")
        page.get_by_role("button", name="บันทึก").click()
        page.wait_for_url("**/manage/")

    def new_edition(self, plan, reason):
        self.open(plan)
        self.page.get_by_role("link", name="จัดทำฉบับใหม่").click()
        self.page.select_option("[name=edition_type]", "review")
        self.page.fill("[name=reason]", reason)
        self.page.locator("form.card").get_by_role("button", name="จัดทำฉบับใหม่").click()
        self.page.wait_for_url(lambda url: "/new-edition/" not in url)
        from oneplan.plans.models import Plan

        return Plan.objects.get(supersedes=plan)


def walk_local_chain(desk, plan, editor, secretary, executive, *, council=None, number="1/2569",
                     password=DEMO_PASSWORD):
    """An LAO plan's road, each step by its own person: the community forum (ประชาคมท้องถิ่น) and its
    closed round → the local development committee → the SAO council, if any → the executive announces."""
    desk.as_user(editor, password)
    desk.open(plan)
    desk.step("จัดประชาคมท้องถิ่น")
    desk.hold_hearing(plan)
    desk.open(plan)
    desk.step("เสนอคณะกรรมการพัฒนาท้องถิ่น")
    for person, step in ((secretary, "คณะกรรมการเห็นชอบ (บันทึกการประชุม)"),
                         *(((council, "สภาเห็นชอบ (บันทึกการประชุม)"),) if council else ())):
        desk.as_user(person, password)
        desk.open(plan)
        desk.meeting(step, number)
    desk.as_user(executive, password)
    desk.open(plan)
    desk.step("อนุมัติและประกาศใช้")


def _assert_in_force(plan, *, replaced=None):
    plan.refresh_from_db()
    assert plan.status == "in_force" and plan.in_force_from == timezone.localdate()
    if replaced is not None:
        replaced.refresh_from_db()
        assert replaced.status == "superseded" and replaced.in_force_until == plan.in_force_from


def _draft(kind, owner_key, title, area=None, **extra):
    from oneplan.organisations.models import Organisation
    from oneplan.testing.factories import ElementFactory, PlanFactory

    owner = Organisation.objects.get(key=owner_key) if isinstance(owner_key, str) else owner_key
    plan = PlanFactory(kind=kind, owner=owner, area=area or owner.area, title_th=title, status="draft", **extra)
    ElementFactory(plan=plan, code="1", kind="issue", title_th="ประเด็นการพัฒนาที่ 1 การท่องเที่ยวยั่งยืน")
    return plan


def test_the_province_takes_its_plan_through_hearing_kbj_knb_and_the_cabinet_then_reviews_it(
        live_server, page, demo_bodies):
    plan = _draft("provincial", "phuket-provincial-office", "แผนพัฒนาจังหวัดภูเก็ต (ทดสอบเส้นทางอนุมัติ)")
    desk = Desk(page, live_server)
    desk.as_user("demo-province")
    desk.open(plan)
    desk.step("เปิดรับฟังความคิดเห็น")
    desk.hold_hearing(plan)
    desk.open(plan)
    desk.step("ปิดการรับฟังความคิดเห็นและปรับปรุงแผน")
    desk.step("เสนอคณะกรรมการ")
    assert "ก.บ.จ." in desk.state()

    desk.as_user("demo-kbj")
    desk.open(plan)
    desk.meeting("ให้ความเห็นชอบ (บันทึกการประชุม)", "2/2569")

    desk.as_user("demo-province")
    desk.open(plan)
    desk.step("เสนอ ก.น.บ.")

    desk.as_user("demo-knb")
    desk.open(plan)
    desk.meeting("ก.น.บ. ให้ความเห็นชอบ (บันทึกการประชุม)", "5/2569")
    desk.meeting("บันทึกมติคณะรัฐมนตรี (ประกาศใช้)", "1/2570")
    assert desk.state() == "ประกาศใช้แล้ว"
    _assert_in_force(plan)

    # the review: a draft that nobody outside sees, heard by reason, approved again, then in force
    desk.as_user("demo-province")
    review = desk.new_edition(plan, "ทบทวนให้สอดคล้องกับแผนแม่บทฉบับแก้ไข พ.ศ. 2566")
    page.context.clear_cookies()
    desk.open(plan)
    assert "ถูกแทนที่โดย" not in page.content() and "ทบทวนให้สอดคล้อง" not in page.content()
    desk.as_user("demo-province")
    desk.open(review)
    desk.step("เสนอคณะกรรมการ", reason="ทบทวนตามมติที่ประชุม ก.บ.จ. ที่ผ่านการรับฟังความคิดเห็นแล้วในรอบก่อน")
    desk.as_user("demo-kbj")
    desk.open(review)
    desk.meeting("ให้ความเห็นชอบ (บันทึกการประชุม)", "3/2569")
    desk.as_user("demo-province")
    desk.open(review)
    desk.step("เสนอ ก.น.บ.")
    desk.as_user("demo-knb")
    desk.open(review)
    desk.meeting("ก.น.บ. ให้ความเห็นชอบ (บันทึกการประชุม)", "6/2569")
    desk.meeting("บันทึกมติคณะรัฐมนตรี (ประกาศใช้)", "2/2570")
    _assert_in_force(review, replaced=plan)
    page.context.clear_cookies()
    desk.open(plan)
    assert "ถูกแทนที่โดย" in page.content()


def test_the_municipality_takes_its_local_plan_through_the_forum_committee_and_mayor_then_adds_to_it(
        live_server, page, demo_bodies):
    plan = _draft("lao_local", "choeng-thale-municipality", "แผนพัฒนาท้องถิ่น เทศบาลตำบลเชิงทะเล (ทดสอบ)",
                  start_year=2566, end_year=2570)
    desk = Desk(page, live_server)
    walk_local_chain(desk, plan, "demo-editor", "demo-localdev", "demo-mayor", number="1/2569")
    assert desk.state() == "ประกาศใช้แล้ว"
    _assert_in_force(plan)
    # announced means frozen: the editor has no edit button any more
    desk.as_user("demo-editor")
    desk.open(plan)
    page.get_by_test_id("workflow-state").wait_for()
    assert page.locator("a[href*='/elements/'][href$='/edit/'], a[href$='/elements/new/']").count() == 0

    new = desk.new_edition(plan, "เพิ่มโครงการตามงบประมาณที่ได้รับจัดสรร ปี 2570")
    walk_local_chain(desk, new, "demo-editor", "demo-localdev", "demo-mayor", number="2/2569")
    _assert_in_force(new, replaced=plan)


def test_an_sao_plan_also_passes_its_council(live_server, page, demo_bodies):
    from oneplan.areas.models import Area
    from oneplan.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

    area = Area.objects.get(code="83")
    sao = OrganisationFactory(key="t-sao-kamala", kind="sao", area=area, name_th="อบต.ทดสอบสภา")
    dev = OrganisationFactory(key="t-sao-dev", kind="committee", committee_type="local_development", parent=sao,
                              area=area, name_th="คณะกรรมการพัฒนา อบต.ทดสอบสภา")
    council = OrganisationFactory(key="t-sao-council", kind="committee", committee_type="council", parent=sao,
                                  area=area, name_th="สภา อบต.ทดสอบสภา")
    for name, org, role in (("sao-editor", sao, "editor"), ("sao-chief", sao, "approver"),
                            ("sao-dev-secretary", dev, "secretary"), ("sao-council-secretary", council, "secretary")):
        MembershipFactory(user=UserFactory(username=name), organisation=org, role=role)
    plan = _draft("lao_local", sao, "แผนพัฒนาท้องถิ่น อบต.ทดสอบสภา")
    walk_local_chain(Desk(page, live_server), plan, "sao-editor", "sao-dev-secretary", "sao-chief",
                     council="sao-council-secretary", password="correct-horse-battery-9")
    _assert_in_force(plan)
    assert list(plan.transitions.values_list("to_state", flat=True)) == [
        "consultation", "local_dev", "council", "executive", "in_force"]


def test_a_cluster_plan_goes_through_its_cluster_committee_knb_and_the_cabinet(live_server, page, demo_bodies):
    from oneplan.areas.models import Area
    from oneplan.organisations.models import Organisation
    from oneplan.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

    cluster = Area.objects.filter(kind="cluster").order_by("code").first()
    office = OrganisationFactory(key="t-cluster-office", kind="provincial_office", area=cluster,
                                 name_th="สำนักบริหารยุทธศาสตร์กลุ่มจังหวัด (ทดสอบ)")
    kbk = OrganisationFactory(key="t-kbk", kind="committee", committee_type="kbk", area=cluster,
                              name_th="ก.บ.ก. (ทดสอบ)")
    password = "correct-horse-battery-9"
    MembershipFactory(user=UserFactory(username="cluster-editor"), organisation=office, role="editor")
    MembershipFactory(user=UserFactory(username="kbk-secretary"), organisation=kbk, role="secretary")
    plan = _draft("cluster", office, "แผนพัฒนากลุ่มจังหวัด (ทดสอบ)", area=cluster)
    desk = Desk(page, live_server)
    desk.as_user("cluster-editor", password)
    desk.open(plan)
    desk.step("เปิดรับฟังความคิดเห็น")
    desk.hold_hearing(plan)
    desk.open(plan)
    desk.step("ปิดการรับฟังความคิดเห็นและปรับปรุงแผน")
    desk.step("เสนอคณะกรรมการ")
    desk.as_user("kbk-secretary", password)
    desk.open(plan)
    desk.meeting("ให้ความเห็นชอบ (บันทึกการประชุม)", "1/2569")
    desk.as_user("cluster-editor", password)
    desk.open(plan)
    desk.step("เสนอ ก.น.บ.")
    desk.as_user("demo-knb")
    desk.open(plan)
    desk.meeting("ก.น.บ. ให้ความเห็นชอบ (บันทึกการประชุม)", "7/2569")
    desk.meeting("บันทึกมติคณะรัฐมนตรี (ประกาศใช้)", "3/2570")
    _assert_in_force(plan)
    assert plan.transitions.get(action="approve_kbk").committee == Organisation.objects.get(key="t-kbk")
