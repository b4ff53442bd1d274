from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneplan.linkage.coverage import coverage
from oneplan.linkage.models import RejectedSuggestion
from oneplan.plans.models import Link, Plan
from oneplan.testing.factories import OrganisationFactory, editor_of

from .conftest import master_plan

pytestmark = pytest.mark.django_db


def _accept_url(element, target):
    return reverse("linkage:accept", args=[element.pk, target.pk])


def test_editor_accepts_a_suggestion_with_htmx(client, editor, unlinked_project):
    client.force_login(editor)
    target = master_plan("07")
    response = client.post(_accept_url(unlinked_project, target), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Link.objects.filter(source=unlinked_project, target=target, created_by=editor).exists()
    assert f'id="linkage-panel-{unlinked_project.pk}"' in response.content.decode()
    # the action is confirmed in the panel, and the element's list of links is told to refresh
    assert "เชื่อมโยง" in response.content.decode() and 'role="status"' in response.content.decode()
    assert response["HX-Trigger"] == "links-changed"
    links = client.get(reverse("plans:element_links", args=[unlinked_project.pk])).content.decode()
    assert target.title_th in links and "ยังไม่มีการเชื่อมโยงโดยตรง" not in links
    page = client.get(unlinked_project.get_absolute_url()).content.decode()
    assert 'hx-trigger="links-changed from:body"' in page


def test_accept_runs_link_validation(client, editor, unlinked_project):
    client.force_login(editor)
    sibling = unlinked_project.parent      # same plan: Link.clean() refuses it
    response = client.post(_accept_url(unlinked_project, sibling), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not Link.objects.filter(source=unlinked_project).exists()


def test_anonymous_cannot_accept_or_reject(client, unlinked_project):
    target = master_plan("07")
    assert client.post(_accept_url(unlinked_project, target)).status_code == 302   # to the login page
    client.post(reverse("linkage:reject", args=[unlinked_project.pk, target.pk]))
    assert not Link.objects.filter(source=unlinked_project).exists()
    assert not RejectedSuggestion.objects.exists()


def test_editor_of_another_organisation_is_refused(client, unlinked_project):
    client.force_login(editor_of(OrganisationFactory()))
    target = master_plan("07")
    # the draft belongs to another organisation: not even visible
    assert client.post(_accept_url(unlinked_project, target)).status_code in (403, 404)
    assert client.post(reverse("linkage:reject", args=[unlinked_project.pk, target.pk])).status_code in (403, 404)
    assert not Link.objects.filter(source=unlinked_project).exists()
    assert not RejectedSuggestion.objects.exists()


def test_reject_is_remembered(client, editor, unlinked_project):
    client.force_login(editor)
    target = master_plan("07")
    response = client.post(reverse("linkage:reject", args=[unlinked_project.pk, target.pk]),
                           {"next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert RejectedSuggestion.objects.filter(source=unlinked_project, target=target).exists()


def test_element_panel_and_review_queue(client, editor, unlinked_project):
    client.force_login(editor)
    panel = client.get(reverse("linkage:element_panel", args=[unlinked_project.pk])).content.decode()
    assert "data-accept" in panel and "0701" in panel
    page = client.get(reverse("linkage:review", args=[unlinked_project.plan_id])).content.decode()
    assert unlinked_project.parent.title_th in page         # the issue comes first in the queue
    assert "linkage/review.js" in page and "<script>" not in page


def test_coverage_counts_and_budgets(road_plan):
    cov = coverage([road_plan], master_plan("07").plan)
    row = next(r for r in cov.rows if r.element.code == "07")
    assert (row.elements, row.projects) == (1, 1)
    assert row.budget == {2566: Decimal("100000.00"), 2567: Decimal("250000.50")}
    assert row.total == Decimal("350000.50")
    assert not next(r for r in cov.rows if r.element.code == "05").addressed
    assert cov.addressed_count == 1 and cov.years == [2566, 2567]


def test_coverage_page_and_excel_export(client, editor, road_plan):
    client.force_login(editor)
    query = f"?scope=plan&plan={road_plan.pk}&framework=master-plans"
    page = client.get(reverse("linkage:coverage") + query)
    assert page.status_code == 200 and 'data-echarts="coverage-chart"' in page.content.decode()
    response = client.get(reverse("linkage:coverage_export") + query)
    wb = load_workbook(BytesIO(response.content))
    sheet = wb["ยท.01"]
    headers = [c.value for c in sheet[3]]
    assert headers[:5] == ["ที่", "แผน", "ยุทธศาสตร์ / ประเด็นการพัฒนา", "ยุทธศาสตร์ชาติ",
                           "แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"]
    issue_row = [c.value for c in sheet[4]]
    # chain reaches the National Strategy too; the master plan is named with its edition
    assert issue_row[4].startswith("แผนแม่บท (2566) 07 ") and issue_row[3]
    assert Decimal(str(issue_row[-1])) == Decimal("350000.50")
    cover = wb["ความครอบคลุม"]
    row07 = next(r for r in cover.iter_rows(values_only=True) if r[0] == "07")
    assert row07[2:5] == ("✓ โดยตรง", 1, 1)
    rows = list(cover.iter_rows(values_only=True))
    assert rows[-1][1] == "รวมทั้งสิ้น" and Decimal(str(rows[-1][-1])) == Decimal("350000.50")


def test_contributors_page_filters_by_province(client, editor, road_plan):
    client.force_login(editor)
    url = reverse("linkage:contributors", args=[master_plan("07").pk])
    page = client.get(url).content.decode()
    # the editor's own draft is listed apart, as a draft, and not counted
    drafts = page[page.index("ฉบับร่างของหน่วยงานของคุณ"):]
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3" in drafts
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3" not in page[:page.index("ฉบับร่างของหน่วยงานของคุณ")]
    filtered = client.get(url + "?province=83").content.decode()
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3" not in filtered   # the crafted plan has no area
    client.logout()
    assert "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3" not in client.get(url).content.decode()


def test_checks_pages_and_report(client, editor, road_plan):
    client.force_login(editor)
    assert client.get(reverse("linkage:plan_checks", args=[road_plan.pk])).status_code == 200
    assert client.get(reverse("linkage:plan_checks_panel", args=[road_plan.pk])).status_code == 200
    report = client.get(reverse("linkage:report") + "?province=83").content.decode()
    phuket = Plan.objects.get(key="phuket-provincial-2561-2564")
    assert reverse("linkage:plan_checks", args=[phuket.pk]) in report
    assert reverse("linkage:plan_checks", args=[road_plan.pk]) not in report   # no area: not in Phuket
    assert reverse("linkage:index") in client.get("/").content.decode()


def test_coverage_chart_names_each_bar_and_tooltips_baht_and_projects(client, editor, road_plan):
    from oneplan.linkage.coverage import AXIS_LABEL_WIDTH, chart_option

    cov = coverage([road_plan], master_plan("07").plan)
    option = chart_option(cov)
    assert option["xAxis"]["data"] == [f"{r.element.code} {r.element.title_th}" for r in cov.rows]
    assert option["xAxis"]["axisLabel"] | {"overflow": "truncate", "width": AXIS_LABEL_WIDTH, "interval": 0} == \
        option["xAxis"]["axisLabel"]
    assert (option["tooltip"]["formatter"], option["tooltip"]["unit"]) == ("budget", "บาท")
    for series in option["series"]:
        year = int(series["name"])
        assert [d["value"] for d in series["data"]] == [float(r.budget.get(year, 0)) for r in cov.rows]
        assert [d["extra"].split(" ")[0] for d in series["data"]] == [f"{r.projects:,}" for r in cov.rows]
    client.force_login(editor)
    page = client.get(reverse("linkage:coverage") + f"?scope=plan&plan={road_plan.pk}&framework=master-plans")
    html = page.content.decode()
    assert 'class="small coverage"' in html and "linkage/coverage.css" in html
    assert 'class="table-wrap" tabindex="0"><table class="small coverage">' in html


def test_tooltip_formatter_named_by_the_option_exists_in_the_chart_script():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "core" / "static" / "core" / "oneplan.js").read_text("utf-8")
    assert "budget: function (t)" in script and "encodeHTML" in script   # user titles are escaped
