"""Search that scales: on PostgreSQL the words are found through a GIN index over the element tokens, with
the same answers as the LIKE rule; one count per request; the organisation filter does not list the country."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneplan.plans.models import Element
from oneplan.search.engine import like_condition, query_words, search_elements

pytestmark = pytest.mark.django_db

THAI_QUERIES = ["ท่องเที่ยว", "การท่องเที่ยว", "ถนน", "พัฒนา คุณภาพ", "น้ำ", "ส่งเสริม การ ท่องเที่ยว",
                "นวัตกรรมบริการ", "ยว", "V", "ภูเก็ต เศรษฐกิจ"]


@pytest.mark.parametrize("query", THAI_QUERIES)
def test_the_indexed_search_answers_exactly_what_the_whole_word_rule_answers(query):
    words = query_words(query)
    found = set(search_elements(query)[0].values_list("pk", flat=True))
    by_like = set(Element.objects.filter(like_condition(words)).values_list("pk", flat=True))
    assert found == by_like


def test_common_words_find_something_so_the_comparison_means_something():
    assert search_elements("ท่องเที่ยว")[0].count() > 10
    assert search_elements("พัฒนา คุณภาพ")[0].count() > 0


@pytest.mark.parametrize("query", ["\"ท่องเที่ยว\"", "ท่องเที่ยว & ถนน", "a | b", "!ถนน", "ถนน:*", "(น้ำ)",
                                   "'; drop table plans_element; --", "\\", "100%", "a_b", "ถนน)|(", "<->", "&&",
                                   "ร.ร.", "covid-19"])
def test_whatever_people_type_is_searched_for_never_an_error(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    words = query_words(query)
    if words:
        found = set(search_elements(query)[0].values_list("pk", flat=True))
        assert found == set(Element.objects.filter(like_condition(words)).values_list("pk", flat=True))


def test_a_punctuated_token_is_one_word_on_every_database():
    # PostgreSQL's text-search parser would cut 'ร.ร.' into 'ร', 'ร': the whole-word rule must not
    from oneplan.testing.factories import ElementFactory, PlanFactory

    element = ElementFactory(plan=PlanFactory(), title_th="ซ่อมแซมอาคาร ร.ร. บ้านทดสอบ งบ 2,000 บาท")
    assert " ร.ร. " in element.search_text and " 2,000 " in element.search_text
    assert element in search_elements("ร.ร. อาคาร")[0] and element in search_elements("2,000")[0]
    assert element not in search_elements("ร")[0]
    assert element not in search_elements("2")[0]


def test_the_result_count_is_counted_once_per_request(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "ท่องเที่ยว"})
    assert response.context["count"] == response.context["page"].paginator.count > 0
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "plans_element" in q["sql"]]
    assert len(counts) == 1, counts


def test_the_organisation_filter_lists_only_organisations_of_the_chosen_area(client):
    from oneplan.organisations.models import Organisation

    everywhere = client.get("/search/", {"q": "ท่องเที่ยว"})
    assert everywhere.context["orgs"] == []
    assert '<datalist id="org-choices"></datalist>' in everywhere.content.decode()
    phuket = client.get("/search/", {"q": "ท่องเที่ยว", "area": "83"})
    listed = phuket.context["orgs"]
    assert listed and all(o.area and o.area.code.startswith("83") for o in
                          Organisation.objects.filter(pk__in=[o.pk for o in listed]).select_related("area"))


def test_the_organisation_filter_works_by_key_and_by_thai_name(client):
    from oneplan.plans.visibility import visible_plans

    element = search_elements("ท่องเที่ยว", plans=visible_plans(None))[0].exclude(plan__owner=None).first()
    owner = element.plan.owner
    by_key = client.get("/search/", {"q": "ท่องเที่ยว", "org": owner.key})
    assert by_key.context["org"] == owner
    assert by_key.context["count"] > 0 and all(e.plan.owner_id == owner.pk for e in by_key.context["page"])
    assert client.get("/search/", {"q": "ท่องเที่ยว", "org": owner.name_th}).context["org"] == owner
    unknown = client.get("/search/", {"q": "ท่องเที่ยว", "org": "no-such-organisation"})
    assert unknown.context["org"] is None and "ไม่พบหน่วยงาน" in unknown.content.decode()


def test_the_next_page_keeps_the_filters(client):
    response = client.get("/search/", {"q": "และ", "level": "3"})
    assert response.context["page"].has_next()
    page = response.content.decode()
    assert "หน้า 1 จาก" in page and "หน้าถัดไป" in page
    import re

    link = re.search(r'href="\?([^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    second = client.get("/search/?" + link)
    assert second.context["page"].number == 2 and second.context["level"] == "3" and second.context["q"] == "และ"


def _plan_of(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the GIN index is PostgreSQL's")
@pytest.mark.parametrize("query", ["และ", "ท่องเที่ยว ถนน V"])
def test_postgresql_finds_words_and_codes_through_the_indexes(query):
    # no timing: the planner's own choice (no scans switched off), for a very common word and for words + a code
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_element")
    plan = _plan_of(search_elements(query)[0])
    assert "element_search_tokens_gin" in plan, plan
    assert "element_code_upper" in plan, plan
    assert "Seq Scan on plans_element" not in plan, plan
