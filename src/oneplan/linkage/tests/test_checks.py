import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.linkage.checks import check_plan
from oneplan.plans.models import Element, Link
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
    frame = PlanFactory(owner=org, kind="lao_province_strategy", status="in_force")
    frame_issue = ElementFactory(plan=frame, kind="issue", code="F1", title_th="โครงสร้างพื้นฐาน")
    Link.objects.create(source=frame_issue, target=master_plan("07"))
    Link.objects.create(source=issue, target=frame_issue)
    Link.objects.filter(source=strategy).update(target=master_plan("07"))
    Element.objects.filter(plan=plan, code="P2").update(parent=strategy)
    ElementFactory(plan=plan, parent=broken["objective"], kind="kpi", code="K1", title_th="ร้อยละของถนนที่ได้มาตรฐาน")
    assert kinds(plan) == set()


def test_findings_link_to_the_page_that_fixes_them(broken):
    for f in check_plan(broken["plan"]):
        assert f.fix_url.startswith("/")
        assert f.message
