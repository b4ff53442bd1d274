"""Into the plan: recurring problems the LAO's plan does not address, turned into a project of the working
draft with the reports as evidence; shown on the project and on a consultation round; frozen plans refused."""
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from oneplan.clinic import planning
from oneplan.clinic.models import ReportProject
from oneplan.governance.services import start_edition
from oneplan.organisations.models import Organisation
from oneplan.plans.models import Element, Plan
from oneplan.testing.factories import editor_of

from .open_helpers import categories, make_report

pytestmark = pytest.mark.django_db
FLOOD = "น้ำท่วมขังหน้าบ้านทุกครั้งที่ฝนตก ท่อระบายน้ำไม่พอ"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    categories()


@pytest.fixture
def lao():
    return Organisation.objects.get(key="choeng-thale-municipality")


@pytest.fixture
def flooding():
    return [make_report("flooding", text=f"{FLOOD} ครั้งที่ {i}", days_ago=5 + i) for i in range(4)]


@pytest.fixture
def draft(lao):
    editor = editor_of(lao)
    in_force = Plan.objects.get(key="choeng-thale-local-2566-2570")
    return start_edition(in_force, editor, edition_type="review", reason="ทบทวนแผนเพื่อรับปัญหาน้ำท่วม"), editor


def test_recurring_unaddressed_groups_with_suggestions(lao, flooding):
    make_report("road", days_ago=3)   # one report is not a recurring problem
    found = planning.unaddressed(lao)
    assert [(g.category.code, g.area.code, g.count) for g in found] == [("flooding", "830303", 4)]
    assert set(found[0].suggestions) == {"master-plans", "sdg", "smart-city"}
    assert any(found[0].suggestions.values())


def test_propose_a_project_in_the_draft_attaches_the_reports(client, lao, flooding, draft):
    plan, editor = draft
    parent = planning.strategic_parents(plan).first()
    client.force_login(editor)
    url = f"/clinic/planning/{lao.key}/propose/830303/flooding/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"plan": plan.pk, "parent": parent.pk, "title": "โครงการขยายท่อระบายน้ำ ซอยบางเทา"})
    assert response.status_code == 302
    project = Element.objects.get(plan=plan, title_th="โครงการขยายท่อระบายน้ำ ซอยบางเทา")
    assert project.kind == "project" and project.parent == parent and project.project.area.code == "830303"
    assert set(ReportProject.objects.filter(element=project).values_list("report_id", flat=True)) == {
        r.pk for r in flooding}
    assert planning.unaddressed(lao) == []                     # the group is addressed now
    page = client.get(project.get_absolute_url()).content.decode()
    assert all(r.reference in page for r in flooding)          # the project page shows its problems


def test_the_consultation_round_shows_the_problems_of_its_area(client, lao, flooding, draft):
    from datetime import date, timedelta

    from oneplan.consultation.models import ConsultationRound

    plan, editor = draft
    parent = planning.strategic_parents(plan).first()
    group, _ids = planning.find_group(lao, "830303", "flooding")
    project = planning.propose_project(group, plan, parent, "โครงการแก้น้ำท่วม", editor)
    round_ = ConsultationRound.objects.create(plan=plan, title="ประชาคมทบทวนแผน", status="open",
                                              opens_on=date.today() - timedelta(days=1),
                                              closes_on=date.today() + timedelta(days=10))
    Plan.objects.filter(pk=plan.pk).update(status="consultation")
    body = client.get(f"/consultation/rounds/{round_.pk}/").content.decode()
    assert "น้ำท่วมขัง" in body and project.title_th in body


def test_a_frozen_plan_or_a_stranger_is_refused_and_nothing_is_written(client, lao, flooding, draft):
    plan, editor = draft
    parent = planning.strategic_parents(plan).first()
    group, _ids = planning.find_group(lao, "830303", "flooding")
    in_force = Plan.objects.get(key="choeng-thale-local-2566-2570")
    before = (Element.objects.count(), ReportProject.objects.count())
    with pytest.raises(PermissionDenied):
        planning.propose_project(group, in_force, in_force.elements.filter(kind="strategy").first(), "x", editor)
    stranger = editor_of(Organisation.objects.get(key="phuket-provincial-office"))
    with pytest.raises(PermissionDenied):
        planning.propose_project(group, plan, parent, "โครงการ", stranger)
    client.force_login(stranger)
    assert client.post(f"/clinic/planning/{lao.key}/propose/830303/flooding/",
                       {"plan": plan.pk, "parent": parent.pk, "title": "x"}).status_code == 403
    assert (Element.objects.count(), ReportProject.objects.count()) == before


def test_bad_input_names_the_field_and_writes_nothing(client, lao, flooding, draft):
    plan, editor = draft
    client.force_login(editor)
    before = Element.objects.count()
    url = f"/clinic/planning/{lao.key}/propose/830303/flooding/"
    response = client.post(url, {"plan": plan.pk, "parent": "", "title": "โครงการ"})
    assert response.status_code == 400 and "แนวทางการพัฒนา" in response.content.decode()
    parent = planning.strategic_parents(plan).first()
    response = client.post(url, {"plan": plan.pk, "parent": parent.pk, "title": "   "})
    assert response.status_code == 400 and "ชื่อโครงการ" in response.content.decode()
    assert Element.objects.count() == before
    assert client.get(f"/clinic/planning/{lao.key}/propose/830303/ufo/").status_code == 404


def test_recurring_page_is_public_and_offers_proposals_to_the_editor(client, lao, flooding, draft):
    _plan, editor = draft
    body = client.get(f"/clinic/planning/{lao.key}/").content.decode()
    assert "น้ำท่วมขัง" in body and "/propose/" not in body
    client.force_login(editor)
    assert "/propose/830303/flooding/" in client.get(f"/clinic/planning/{lao.key}/").content.decode()
