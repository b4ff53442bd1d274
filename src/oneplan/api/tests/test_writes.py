"""Writing through the API: a plan in the interchange JSON, the results of a reporting round. The same
permissions, all-or-nothing checks and Thai error list as the upload and entry pages; a token writes only
its own organisation's plans; never a status or a framework."""
import json
from decimal import Decimal

import pytest

from oneplan.api.models import ApiToken
from oneplan.governance.locks import allow_published_changes
from oneplan.monitoring.forms import period_dates
from oneplan.monitoring.models import KPIResult, ProjectProgress, ReportingRound
from oneplan.monitoring.tests.conftest import make_kpi, make_project
from oneplan.plans.interchange import dump_plan
from oneplan.plans.models import Element, Plan, PlanStatus
from oneplan.testing.factories import (
    ElementFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return OrganisationFactory(key="t-write-owner")


def token_of(org, role="editor"):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    return ApiToken.issue(user, org, "ระบบบัญชีของเทศบาล")[1]


def post(client, path, body, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/v1{path}{'?' + query if query else ''}", raw, content_type="application/json",
                       **headers)


def plan_json(owner, **meta):
    return {"format": "oneplan-plan/1",
            "plan": {"key": "t-api-written", "kind": "lao_local", "title_th": "แผนที่ส่งผ่าน API",
                     "owner": owner.key, "start_year": 2566, "end_year": 2570, **meta},
            "elements": [{"code": "1", "kind": "issue", "title_th": "ประเด็นการพัฒนาแหล่งน้ำ",
                          "links": [{"plan": "national-strategy", "code": "2"}]},
                         {"code": "1.1", "kind": "strategy", "parent": "1", "title_th": "พัฒนาระบบประปา"}]}


# -- a plan in the interchange JSON --------------------------------------------------------------------------
def test_an_editor_token_imports_a_new_plan_and_a_dry_run_writes_nothing(client, owner):
    token = token_of(owner)
    dry = post(client, "/imports/plan", plan_json(owner), token, dry_run="true")
    assert dry.status_code == 200, dry.content
    assert dry.json()["committed"] is False and dry.json()["counts"]["created"] == 2
    assert not Plan.objects.filter(key="t-api-written").exists()

    done = post(client, "/imports/plan", plan_json(owner), token)
    assert done.status_code == 200 and done.json()["committed"] is True
    plan = Plan.objects.get(key="t-api-written")
    assert plan.owner == owner and plan.status == PlanStatus.DRAFT
    assert sorted(plan.elements.values_list("code", flat=True)) == ["1", "1.1"]


def test_status_and_framework_in_the_body_are_ignored_with_a_warning(client, owner):
    response = post(client, "/imports/plan", plan_json(owner, status="in_force", framework="national-strategy"),
                    token_of(owner))
    assert response.status_code == 200
    plan = Plan.objects.get(key="t-api-written")
    assert (plan.status, plan.framework) == (PlanStatus.DRAFT, "")
    assert any("status" in w["text"] for w in response.json()["warnings"])


def test_a_token_of_another_organisation_writes_nothing(client, owner):
    other = OrganisationFactory(key="t-write-other")
    response = post(client, "/imports/plan", plan_json(owner), token_of(other))
    assert response.status_code == 403 and "นำเข้าแผนนี้ไม่ได้" in response.json()["detail"]
    assert not Plan.objects.filter(key="t-api-written").exists()


@pytest.mark.parametrize("role", ["viewer", "approver"])
def test_a_token_without_the_editor_role_writes_nothing(client, owner, role):
    assert post(client, "/imports/plan", plan_json(owner), token_of(owner, role)).status_code == 403
    assert not Plan.objects.filter(key="t-api-written").exists()


def test_a_plan_that_is_no_longer_a_draft_is_not_written_over(client, owner):
    plan = PlanFactory(key="t-api-written", owner=owner, status="in_force")
    ElementFactory(plan=plan, code="1", title_th="ประเด็นเดิมที่มีผลใช้บังคับ")
    before = dump_plan(plan)
    response = post(client, "/imports/plan", plan_json(owner), token_of(owner))
    assert response.status_code == 403
    assert dump_plan(Plan.objects.get(pk=plan.pk)) == before


@pytest.mark.parametrize("body, fragment", [
    (b'{"format": "oneplan-plan/1", "plan": ', "อ่านไฟล์ JSON ไม่ได้"),
    (b'{"format": "something-else"}', "ไม่ใช่รูปแบบแผนของ OnePlan"),
    (b'{"format": "oneplan-plan/1", "plan": {"key": "x"}, "elements": [{"code": NaN}]}', "ไม่ใช่ตัวเลขที่ใช้ได้"),
    (b"{\"format\": \"\xc3\x28\"}", "UTF-8"),
])
def test_a_broken_body_gets_the_upload_pages_thai_errors(client, owner, body, fragment):
    before = Plan.objects.count()
    response = post(client, "/imports/plan", body, token_of(owner))
    assert response.status_code == 422
    assert fragment in response.json()["detail"]
    assert Plan.objects.count() == before


def test_a_bad_element_refuses_the_whole_plan(client, owner):
    data = plan_json(owner)
    data["elements"].append({"code": "1.2", "kind": "strategy", "parent": "9", "title_th": "พ่อแม่ที่ไม่มีอยู่"})
    response = post(client, "/imports/plan", data, token_of(owner))
    assert response.status_code == 422 and response.json()["errors"]
    assert not Plan.objects.filter(key="t-api-written").exists()
    assert not Element.objects.filter(title_th="พัฒนาระบบประปา", plan__owner=owner).exists()


def test_writing_needs_a_token(client, owner):
    response = post(client, "/imports/plan", plan_json(owner))
    assert response.status_code == 401 and "โทเคน" in response.json()["detail"]
    assert not Plan.objects.filter(key="t-api-written").exists()


def test_a_body_larger_than_the_upload_limit_is_refused(client, owner, settings):
    settings.ONEPLAN_MAX_UPLOAD_BYTES = 2000
    response = post(client, "/imports/plan", plan_json(owner) | {"pad": "ก" * 5000}, token_of(owner))
    assert response.status_code == 413
    assert not Plan.objects.filter(key="t-api-written").exists()


# -- results of a reporting round --------------------------------------------------------------------------
@pytest.fixture
def monitored(owner):
    plan = PlanFactory(owner=owner, status="in_force", start_year=2566, end_year=2570)
    goal = ElementFactory(plan=plan, kind="objective", code="1", title_th="ประชาชนมีน้ำใช้")
    kpi = make_kpi(plan, goal, "ร้อยละของครัวเรือนที่มีน้ำประปาใช้")
    project = make_project(plan, goal, "โครงการขยายเขตประปา", [(2567, "1000000.00")])
    with allow_published_changes():   # codes the calling system knows the elements by
        Element.objects.filter(pk=kpi.element.pk).update(code="1.k1")
        Element.objects.filter(pk=project.element.pk).update(code="P1")
    start, end = period_dates("half_yearly", 2567, 1)
    round_ = ReportingRound.objects.create(plan=plan, period_type="half_yearly", fiscal_year=2567, number=1,
                                           start_date=start, end_date=end)
    return {"plan": plan, "kpi": kpi, "project": project, "round": round_}


def entries(value="๗๒.๕", percent="40", disbursed="120,000"):
    return {"kpis": [{"code": "1.k1", "value": value}],
            "projects": [{"code": "P1", "physical_percent": percent, "disbursed_amount": disbursed}]}


def test_an_editor_token_enters_a_round_and_the_values_wait_for_approval(client, owner, monitored):
    token = token_of(owner)
    response = post(client, f"/rounds/{monitored['round'].pk}/entries", entries(), token)
    assert response.status_code == 200, response.content
    assert response.json()["saved"] == 2
    result = KPIResult.objects.get(round=monitored["round"])
    assert result.value == Decimal("72.5") and not result.is_approved
    progress = ProjectProgress.objects.get(round=monitored["round"])
    assert (progress.physical_percent, progress.disbursed_amount) == (Decimal("40"), Decimal("120000"))

    # not approved yet: the public read shows nothing, the owner's own token shows it as pending
    public = client.get(f"/api/v1/plans/{monitored['plan'].key}/results").json()["items"][0]
    assert public["kpis"] == [] and public["projects"] == []
    own = client.get(f"/api/v1/plans/{monitored['plan'].key}/results",
                     HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"][0]
    assert own["kpis"] == [{"code": "1.k1", "value": "72.5", "approved": False}]


@pytest.mark.parametrize("body, field, fragment", [
    (entries(value="เจ็ดสิบ"), "1.k1", "ไม่ใช่ตัวเลข"),
    (entries(percent="140"), "P1", "ต้องอยู่ระหว่าง 0 ถึง 100"),
    (entries(disbursed="5,000,000"), "P1", "มากกว่างบประมาณปี 2567"),
    ({"kpis": [{"code": "9.k9", "value": "1"}]}, "9.k9", "ไม่พบตัวชี้วัดรหัส"),
    ({"kpis": [{"code": "1.k1", "value": "1"}, {"code": "1.k1", "value": "2"}]}, "1.k1", "มากกว่าหนึ่งครั้ง"),
    ({"kpis": "ทั้งหมด"}, "kpis", "ต้องเป็นรายการ"),
])
def test_one_bad_value_saves_nothing_and_names_the_code(client, owner, monitored, body, field, fragment):
    response = post(client, f"/rounds/{monitored['round'].pk}/entries", body, token_of(owner))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and fragment in e["message"] for e in errors), errors
    assert not KPIResult.objects.filter(round=monitored["round"]).exists()
    assert not ProjectProgress.objects.filter(round=monitored["round"]).exists()


def test_a_closed_round_takes_no_values(client, owner, monitored):
    ReportingRound.objects.filter(pk=monitored["round"].pk).update(status="closed")
    response = post(client, f"/rounds/{monitored['round'].pk}/entries", entries(), token_of(owner))
    assert response.status_code == 422 and "ปิดแล้ว" in response.json()["detail"]
    assert not KPIResult.objects.filter(round=monitored["round"]).exists()


def test_a_round_of_another_organisation_is_not_found_and_a_viewer_may_not_enter(client, owner, monitored):
    other = OrganisationFactory(key="t-write-other")
    assert post(client, f"/rounds/{monitored['round'].pk}/entries", entries(), token_of(other)).status_code == 404
    assert post(client, f"/rounds/{monitored['round'].pk}/entries", entries(),
                token_of(owner, "viewer")).status_code == 403
    assert not KPIResult.objects.filter(round=monitored["round"]).exists()
