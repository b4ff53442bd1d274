"""Dashboards: the figures a desk and the public rely on, the same through the page, the Excel export and
Open311, and never a reporter's name."""
from io import BytesIO

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from oneplan.areas.models import Area
from oneplan.clinic import dashboards as dash

from .open_helpers import categories, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    categories()


@pytest.fixture
def reports():
    """Phuket: 3 flooding reports in Choeng Thale (2 done in 2 and 6 days, 1 overdue), a road report
    cannot be done, a tourism report open within its time; a merged duplicate that must not count."""
    made = [make_report("flooding", status="done", days_ago=30, days_to_close=2),
            make_report("flooding", status="done", days_ago=20, days_to_close=6),
            make_report("flooding", days_ago=40, name="สมศรี มีสุข", phone="0899999999", consent=True),
            make_report("road", status="cannot_do", days_ago=10, days_to_close=1),
            make_report("tourism", days_ago=1),
            make_report("flooding", status="merged", days_ago=3)]
    return made


def test_province_figures(reports):
    f = dash.figures(dash.province_scope(Area.objects.get(code="83")))
    s = f.summary
    assert (s.total, s.resolved, s.closed, s.open, s.overdue) == (5, 2, 3, 2, 1)
    assert s.resolution_rate == 40.0 and s.median_days == 4.0
    flooding = next(r for r in f.by_category if r.key == "flooding")
    assert (flooding.total, flooding.resolved, flooding.overdue, flooding.median_days) == (3, 2, 1, 4.0)
    env = next(r for r in f.by_dimension if r.key == "ENV")
    assert env.total == 3 and env.label == "สิ่งแวดล้อมอัจฉริยะ"
    assert [r.label for r in f.by_place] == ["อำเภอถลาง"] and f.by_place[0].total == 5


def test_district_lao_and_dimension_scopes_count_their_part(reports):
    district = dash.figures(dash.district_scope(Area.objects.get(code="8303"))).summary
    assert district.total == 5
    lao = dash.figures(dash.lao_scope(reports[0].responsible)).summary
    assert lao.total == 4            # the tourism report is the PAO's duty, not the municipality's
    eco = dash.figures(dash.dimension_scope("ECO", dash.dimension_names())).summary
    assert eco.total == 1


def test_every_category_has_a_smart_city_dimension_of_the_framework():
    names = dash.dimension_names()
    for code in categories():
        assert dash.dimension_of(code) in names, code


def test_reconciliation_dashboard_excel_and_open311_agree(client, reports):
    page = client.get("/clinic/dashboards/province/83/")
    assert page.status_code == 200
    resolved = page.context["f"].summary.resolved
    wb = load_workbook(BytesIO(client.get("/clinic/dashboards/province/83.xlsx").content))
    ws = wb["สรุป"]
    header = [c.value for c in ws[2]]
    excel_resolved = ws.cell(row=3, column=header.index("แก้ไขแล้ว") + 1).value
    items = client.get("/open311/v2/requests.json", {"status": "closed", "start_date": "2000-01-01"}).json()
    phuket = [r for r in items if r["address_id"] and r["address_id"].startswith("83")]
    open311_resolved = sum(1 for r in phuket if r["status_detail"] == "done")
    assert resolved == excel_resolved == open311_resolved == 2
    assert page.context["f"].summary.closed == len(phuket)


def test_public_pages_show_no_personal_data(client, reports):
    for url in ("/clinic/dashboards/province/83/", "/clinic/dashboards/district/8303/",
                f"/clinic/dashboards/lao/{reports[0].responsible.key}/", "/clinic/dashboards/dimension/ENV/?province=83",
                "/portal/provinces/83/", "/clinic/dashboards/"):
        body = client.get(url).content.decode()
        assert "สมศรี" not in body and "0899999999" not in body, url
    assert "ศูนย์ Clinic Center" in client.get("/portal/provinces/83/").content.decode()


def test_unknown_scopes_are_404(client):
    for url in ("/clinic/dashboards/province/99/", "/clinic/dashboards/dimension/XYZ/",
                "/clinic/dashboards/lao/no-such-lao/", "/clinic/dashboards/dimension/ENV/?province=9999"):
        assert client.get(url).status_code == 404, url


def test_figures_of_an_empty_scope_and_of_reports_without_a_place(reports):
    empty = dash.figures(dash.district_scope(Area.objects.get(code="8301")))   # no report in Mueang Phuket
    assert (empty.summary.total, empty.summary.resolved, empty.summary.median_days) == (0, 0, None)
    assert empty.by_category == [] and empty.by_place == []
    make_report("road", area_code=None, status="done", days_ago=5, days_to_close=3)
    f = dash.figures(dash.dimension_scope(dash.dimension_of("road"), dash.dimension_names()))
    nowhere = next(r for r in f.by_place if r.key == "")
    assert (nowhere.label, nowhere.total, nowhere.resolved, nowhere.median_days) == (dash.NO_PLACE, 1, 1, 3.0)
    thalang = next(r for r in f.by_place if r.key == "8303")
    assert thalang.label == "อำเภอถลาง" and thalang.median_days is None   # its road report could not be done
    road = next(r for r in f.by_category if r.key == "road")
    assert (road.total, road.resolved, road.closed, road.median_days) == (2, 1, 2, 3.0)
