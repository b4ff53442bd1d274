import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.linkage.checks import check_plan
from oneplan.plans.models import Element, Link, Project
from oneplan.testing.factories import ElementFactory, PlanFactory

from .conftest import master_plan

pytestmark = pytest.mark.django_db


def kinds(plan):
    return {(f.kind, f.element.code) for f in check_plan(plan)}


@pytest.fixture
def broken(org):
    plan = PlanFactory(owner=org, kind="lao_local")
    issue = ElementFactory(plan=plan, kind="issue", code="1", title_th="การพัฒนาโครงสร้างพื้นฐาน")
    objective = ElementFactory(plan=plan, parent=issue, kind="objective", code="1.O", title_th="ถนนได้มาตรฐาน")
    strategy = ElementFactory(plan=plan, parent=issue, kind="strategy", code="1.1", title_th="ก่อสร้างถนน")
    ElementFactory(plan=plan, parent=strategy, kind="project", code="P1", title_th="โครงการก่อสร้างถนน คสล.")
    ElementFactory(plan=plan, kind="project", code="P2", title_th="โครงการซ่อมถนนลูกรัง")
    Link.objects.create(source=strategy, target=master_plan("07", "master-plans-2561"))
    return {"plan": plan, "issue": issue, "objective": objective, "strategy": strategy}


def test_each_kind_of_finding_appears(broken):
    found = kinds(broken["plan"])
    assert ("issue_unlinked", "1") in found
    assert ("lao_unlinked", "1") in found
    assert ("project_no_strategy", "P2") in found
    assert ("project_no_master_plan", "P2") in found
    assert ("orphan", "P2") in found
    assert ("goal_without_kpi", "1.O") in found
    assert ("superseded_link", "1.1") in found
    # P1 reaches a master plan, if only the superseded edition
    assert ("project_no_master_plan", "P1") not in found


def test_superseded_link_suggests_the_successor_with_the_same_code(broken):
    finding = next(f for f in check_plan(broken["plan"]) if f.kind == "superseded_link")
    assert finding.successor == master_plan("07")
    assert "07" in finding.message and finding.fix_url.endswith(f"/{broken['strategy'].pk}/")


@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def test_findings_disappear_once_fixed(broken, org):
    plan, issue, strategy = broken["plan"], broken["issue"], broken["strategy"]
    with allow_published_changes():   # a plan in force, built as the loaders build one
        frame = PlanFactory(owner=org, kind="lao_province_strategy", status="in_force")
        frame_issue = ElementFactory(plan=frame, kind="issue", code="F1", title_th="โครงสร้างพื้นฐาน")
        Link.objects.create(source=frame_issue, target=master_plan("07"))
    Link.objects.create(source=issue, target=frame_issue)
    Link.objects.filter(source=strategy).update(target=master_plan("07"))
    Element.objects.filter(plan=plan, code="P2").update(parent=strategy)
    ElementFactory(plan=plan, parent=broken["objective"], kind="kpi", code="K1", title_th="ร้อยละของถนนที่ได้มาตรฐาน")
    for code in ("P1", "P2"):
        Project.objects.create(element=plan.elements.get(code=code), kpi_text="ถนนยาว 2 กิโลเมตร")
    assert kinds(plan) == set()


def test_findings_link_to_the_page_that_fixes_them(broken):
    for f in check_plan(broken["plan"]):
        assert f.fix_url.startswith("/")
        assert f.message


def test_project_without_kpi_is_reported_in_thai(broken):
    found = {f.element.code: f.message for f in check_plan(broken["plan"]) if f.kind == "project_no_kpi"}
    assert set(found) == {"P1", "P2"}
    assert "ยังไม่มีตัวชี้วัด" in found["P1"] and "โครงการก่อสร้างถนน คสล." in found["P1"]


def test_link_to_a_plan_that_ended_before_this_one_starts():
    """Choeng Thale's 2566–2570 plan links to Phuket's provincial plan for 2561–2564."""
    from oneplan.plans.models import Plan

    findings = [f for f in check_plan(Plan.objects.get(key="choeng-thale-local-2566-2570"))
                if f.kind == "expired_link"]
    provincial = [f for f in findings if f.link.target.plan.key == "phuket-provincial-2561-2564"]
    assert provincial and all(f.link.target.plan.end_year < 2566 for f in findings)
    assert "2561–2564" in provincial[0].message and "สิ้นสุดแล้วก่อนแผนนี้เริ่ม" in provincial[0].message


def test_superseded_link_is_reported_only_where_an_edition_in_force_replaces_it(org):
    with allow_published_changes():
        old = PlanFactory(owner=org, kind="provincial", status="superseded", start_year=2566, end_year=2570)
        target = ElementFactory(plan=old, kind="issue", code="1")
    PlanFactory(owner=org, kind="provincial", status="draft", supersedes=old, start_year=2566, end_year=2570)
    plan = PlanFactory(owner=org, kind="lao_local", start_year=2566, end_year=2570)
    issue = ElementFactory(plan=plan, kind="issue", code="1")
    Link.objects.create(source=issue, target=target)
    assert ("superseded_link", "1") not in kinds(plan)     # only a draft would replace it


def test_checks_page_shows_the_new_findings(client, broken):
    from django.urls import reverse

    from oneplan.testing.factories import editor_of

    client.force_login(editor_of(broken["plan"].owner))
    page = client.get(reverse("linkage:plan_checks", args=[broken["plan"].pk])).content.decode()
    assert "โครงการที่ยังไม่มีตัวชี้วัด" in page and 'id="project_no_kpi"' in page
