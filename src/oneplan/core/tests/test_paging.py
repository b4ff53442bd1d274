"""Every list that grows with the country comes a page at a time, with the same Thai page links, and the
links keep the list's filters. The page sizes are made small here so the demo fills several pages."""
import re

import pytest

from oneplan.areas.models import Area
from oneplan.plans.visibility import visible_plans
from oneplan.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="\?([^"]*)" rel="next">หน้าถัดไป</a>')


def _walk(client, url, params, key):
    """Every page of a list from the first by its "next page" link: the rows in order and the pages' params."""
    seen, pages, response = [], [], client.get(url, params)
    while True:
        assert response.status_code == 200
        pages.append(response.wsgi_request.GET)
        seen.extend(key(response))
        found = LINK.search(response.content.decode())
        if not found:
            return seen, pages
        response = client.get(url + "?" + found.group(1).replace("&amp;", "&"))


def test_the_plan_list_comes_in_pages_that_keep_the_filter_and_reach_every_plan(client, monkeypatch):
    monkeypatch.setattr("oneplan.core.paging.PAGE_SIZE", 3)
    from oneplan.plans.models import PlanKind
    from oneplan.plans.models.plans import PLAN_LEVEL

    level3 = [k for k in PlanKind.values if PLAN_LEVEL.get(k, 3) == 3]
    first = client.get("/plans/", {"level": "3"})
    assert len(first.context["plans"]) == 3
    assert f"หน้า 1 จาก {first.context['page'].paginator.num_pages}" in first.content.decode()
    seen, pages = _walk(client, "/plans/", {"level": "3"}, lambda r: [p.pk for p in r.context["plans"]])
    assert len(pages) > 1 and all(p.get("level") == "3" for p in pages)
    assert len(seen) == len(set(seen)) == first.context["page"].paginator.count
    assert set(seen) == set(visible_plans(None).filter(kind__in=level3).values_list("pk", flat=True))


def test_the_home_page_lists_local_plans_a_page_at_a_time_with_their_element_counts(client, monkeypatch):
    monkeypatch.setattr("oneplan.core.views.HOME_PAGE_SIZE", 2)
    response = client.get("/")
    plans = response.context["plans"]
    assert len(plans) == 2 and response.context["page"].has_next()
    assert all(p.n == p.elements.count() for p in plans)
    seen, _ = _walk(client, "/", {}, lambda r: [p.pk for p in r.context["plans"]])
    assert sorted(seen) == sorted(visible_plans(None).filter(framework="").values_list("pk", flat=True))


def test_the_organisation_list_pages_keep_the_kind_and_the_thai_order(client, monkeypatch):
    monkeypatch.setattr("oneplan.organisations.views.ORGS_PER_PAGE", 2)
    names = ["กระบี่ทดสอบหน้า", "เชียงรายทดสอบหน้า", "ตากทดสอบหน้า", "แพร่ทดสอบหน้า", "ลำปางทดสอบหน้า"]
    for name in reversed(names):
        OrganisationFactory(kind="civil_society", name_th=name)
    seen, pages = _walk(client, "/organisations/", {"kind": "civil_society"},
                        lambda r: [o.name_th for group in r.context["groups"].values() for o in group])
    assert all(p.get("kind") == "civil_society" for p in pages) and len(pages) >= 3
    assert [n for n in seen if n in names] == names


def test_an_area_pages_its_plans_and_its_organisations_separately(client, monkeypatch):
    monkeypatch.setattr("oneplan.core.paging.PAGE_SIZE", 1)
    monkeypatch.setattr("oneplan.areas.views.ORGS_PER_PAGE", 1)
    phuket = Area.objects.get(code="83")
    response = client.get(phuket.get_absolute_url())
    plans, orgs = response.context["plans"], response.context["organisations"]
    assert plans.paginator.count > 1 and orgs.paginator.count > 1
    page = response.content.decode()
    assert 'href="?page=2"' in page and 'href="?org_page=2"' in page
    second = client.get(phuket.get_absolute_url(), {"page": "2", "org_page": "3"})
    assert second.context["plans"].number == 2 and second.context["organisations"].number == 3
    assert "page=2&amp;org_page=4" in second.content.decode()  # the organisations' next page keeps the plans' page


def test_a_page_number_out_of_range_shows_the_last_page(client):
    response = client.get("/plans/", {"page": "9999"})
    assert response.status_code == 200 and response.context["page"].number == response.context["page"].paginator.num_pages
    assert client.get("/plans/", {"page": "ไม่ใช่ตัวเลข"}).context["page"].number == 1
