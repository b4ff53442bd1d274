from decimal import Decimal

import pytest
from django.urls import reverse

from oneplan.governance.locks import allow_published_changes
from oneplan.knowledge import examples, kpilib
from oneplan.knowledge.models import KPIDefinition
from oneplan.monitoring.models import KPIResult, ReportingRound
from oneplan.plans.models import KPI, KPITarget
from oneplan.testing.factories import ElementFactory, PlanFactory, UserFactory, editor_of

TEXT = "ส่งเสริมการท่องเที่ยวเชิงนิเวศชายหาดและป่าชายเลน"


@pytest.fixture
def plans(db):
    published = PlanFactory(status="in_force")
    draft = PlanFactory(status="draft")
    before_committee = PlanFactory(status="submitted")
    writer = PlanFactory(status="draft")
    made = {}
    for key, plan in (("published", published), ("draft", draft), ("submitted", before_committee)):
        made[key] = ElementFactory(plan=plan, kind="issue", title_th=f"{TEXT} MXSECRET{key}")
    return {"published": published, "draft": draft, "submitted": before_committee, "writer": writer, **{
        f"{k}_element": v for k, v in made.items()}}


def test_examples_come_only_from_plans_in_force(plans):
    found = examples.similar(TEXT, "issue")
    ids = {ex.element.pk for ex in found}
    assert plans["published_element"].pk in ids
    assert plans["draft_element"].pk not in ids and plans["submitted_element"].pk not in ids


def test_the_examples_panel_never_shows_a_draft_or_another_organisations_hidden_plan(client, plans):
    client.force_login(editor_of(plans["writer"].owner))
    html = client.get(reverse("knowledge:examples", args=[plans["writer"].pk]),
                      {"kind": "issue", "title_th": TEXT}).content.decode()
    assert "MXSECRETpublished" in html
    assert "MXSECRETdraft" not in html and "MXSECRETsubmitted" not in html


def test_a_plan_that_left_force_after_indexing_is_not_suggested(plans):
    assert examples.similar(TEXT, "issue")  # index built while the plan is in force
    with allow_published_changes():
        plans["published"].status = "revision"
        plans["published"].save()
    ids = {ex.element.pk for ex in examples.similar(TEXT, "issue")}
    assert plans["published_element"].pk not in ids


def test_an_element_is_not_its_own_example(plans):
    ids = {ex.element.pk for ex in examples.for_element(plans["published_element"])}
    assert plans["published_element"].pk not in ids


def test_examples_carry_their_kpis_targets_and_results(plans):
    kpi_el = ElementFactory(plan=plans["published"], parent=plans["published_element"], kind="kpi",
                            title_th="รายได้จากการท่องเที่ยว")
    with allow_published_changes():
        kpi = KPI.objects.create(element=kpi_el, unit="ล้านบาท")
        KPITarget.objects.create(kpi=kpi, year=2567, value=Decimal("120"))
    rnd = ReportingRound.objects.create(plan=plans["published"], period_type="yearly", fiscal_year=2567, number=1,
                                        start_date="2023-10-01", end_date="2024-09-30")
    maker, checker = UserFactory(), UserFactory()
    KPIResult.objects.create(round=rnd, kpi=kpi, value=Decimal("130"), submitted_by=maker, approved_by=checker)
    ex = next(e for e in examples.similar(TEXT, "issue") if e.element.pk == plans["published_element"].pk)
    assert [k.pk for k in ex.kpis] == [kpi_el.pk]
    assert [r.value for r in ex.results] == [Decimal("130")]


@pytest.fixture
def library(db):
    return KPIDefinition.objects.create(name="ร้อยละของถนนที่ได้มาตรฐาน", unit="ร้อยละ", data_source="ทะเบียนทางหลวง",
                                        formula="ระยะทางถนนที่ได้มาตรฐาน ÷ ระยะทางทั้งหมด × 100")


def test_usage_counts_plans_in_force_by_normalised_name(library):
    for status in ("in_force", "in_force", "draft"):
        el = ElementFactory(plan=PlanFactory(status=status), kind="kpi", title_th="ร้อยละของถนนที่ได้มาตรฐาน ")
        with allow_published_changes():
            KPI.objects.create(element=el)
    assert kpilib.usage_counts([library]) == {library.pk: 2}


def test_the_kpi_quality_checklist_is_applied_to_definitions(library):
    assert kpilib.quality(library).ok
    vague = KPIDefinition.objects.create(name="ระดับความสำเร็จของการพัฒนาระบบบริการ", unit="", data_source="")
    assert {f.code for f in kpilib.quality(vague).findings} == {"missing_unit", "missing_source", "vague"}


def test_choosing_a_definition_fills_the_kpi_form_fields(client, library):
    html = client.get(reverse("knowledge:kpi_fill", args=[library.pk])).content.decode()
    assert 'id="id_title_th"' in html and library.name in html
    assert 'id="id_kpi-unit"' in html and 'value="ร้อยละ"' in html
    assert 'id="id_kpi-data_source"' in html and html.count('hx-swap-oob="true"') >= 6


def test_library_pages_answer(client, knowledge_data):
    assert "ร้อยละของถนนที่ได้มาตรฐาน" in client.get(reverse("knowledge:kpi_library")).content.decode()
    d = KPIDefinition.objects.get(name="ร้อยละของถนนที่ได้มาตรฐาน")
    assert client.get(reverse("knowledge:kpi", args=[d.pk])).status_code == 200
    assert "kpi-choice" in client.get(reverse("knowledge:kpi_pick"), {"q": "ถนน"}).content.decode()
