"""Search across all plans in Thai, by words (segmented), with filters."""
import pytest

pytestmark = pytest.mark.django_db


def _codes(response):
    return [(e.plan.key, e.code) for e in response.context["page"]]


def test_thai_word_search_finds_the_phuket_vision(client):
    response = client.get("/search/", {"q": "นวัตกรรมบริการ"})
    assert ("phuket-provincial-2561-2564", "V") in _codes(response)


def test_search_matches_words_not_substrings(client):
    # "ยว" is inside "ท่องเที่ยว" but is not a word: a substring search would return hundreds
    response = client.get("/search/", {"q": "ยว"})
    assert response.context["count"] == 0


def test_nominalised_form_finds_the_stem(client):
    with_prefix = {k for k in _codes(client.get("/search/", {"q": "การท่องเที่ยว", "kind": "master_plan"}))}
    stem = {k for k in _codes(client.get("/search/", {"q": "ท่องเที่ยว", "kind": "master_plan"}))}
    assert ("master-plans-2566", "05") in stem and with_prefix <= stem


def test_filters_by_level_area_and_kind(client):
    everything = client.get("/search/", {"q": "ท่องเที่ยว"}).context["count"]
    level1 = client.get("/search/", {"q": "ท่องเที่ยว", "level": "1"})
    assert all(e.plan.kind == "national_strategy" for e in level1.context["page"])
    phuket = client.get("/search/", {"q": "ท่องเที่ยว", "area": "83"})
    assert phuket.context["count"] < everything
    assert all(e.plan.area.code.startswith("83") for e in phuket.context["page"])
    projects = client.get("/search/", {"q": "ถนน", "kind": "project"})
    assert projects.context["count"] > 0 and all(e.kind == "project" for e in projects.context["page"])


def test_drafts_of_others_are_not_searchable(client):
    from oneplan.testing.factories import ElementFactory, PlanFactory

    ElementFactory(plan=PlanFactory(status="draft"), title_th="โครงการลับเฉพาะร่างแผนทดสอบ")
    assert client.get("/search/", {"q": "ลับเฉพาะ"}).context["count"] == 0


def test_a_place_name_finds_the_province_its_plans_and_organisations_above_the_elements(client):
    from oneplan.areas.models import Area
    from oneplan.plans.models import Plan
    from oneplan.plans.visibility import visible_plans

    response = client.get("/search/", {"q": "ภูเก็ต"})
    places = response.context["places"]
    assert places["areas"][0] == Area.objects.get(code="83")          # the exact name first
    phuket_plans = set(visible_plans(None).filter(title_th__contains="ภูเก็ต"))
    assert phuket_plans and set(places["plans"]) <= phuket_plans
    assert Plan.objects.get(key="phuket-provincial-2561-2564") in places["plans"]
    assert any("ภูเก็ต" in o.name_th for o in places["organisations"])
    page = response.content.decode()
    assert page.index("จังหวัดภูเก็ต") < page.index('<ol start="1">')   # names come before elements


def test_place_results_never_show_a_plan_the_visitor_may_not_see(client):
    from oneplan.testing.factories import PlanFactory

    PlanFactory(status="draft", title_th="แผนร่างลับเฉพาะของภูเก็ตทดสอบ")
    places = client.get("/search/", {"q": "ลับเฉพาะ ภูเก็ต"}).context["places"]
    assert places["plans"] == []
