"""The key pages of a province ask the database the same number of questions whatever the number of
projects: no query per row (the national scale benchmark, benchmarks/bench_national, measures time)."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oneplan.frameworks import registry
from oneplan.monitoring.generate import generate_province
from oneplan.plans.models import Plan


def _pages():
    lao = Plan.objects.filter(key="gen-50-plan-1").get()
    top = registry.plan_in_force("master-plans").elements.filter(parent__isnull=True, code="07").get()
    scope = "scope=province&area=50&framework=master-plans"
    return {"plan page": f"/plans/{lao.pk}/", "checks panel": f"/linkage/plans/{lao.pk}/checks/panel/",
            "checks page": f"/linkage/plans/{lao.pk}/checks/", "budget view": "/monitoring/budget/50/",
            "coverage": f"/linkage/coverage/?{scope}", "coverage export": f"/linkage/coverage/export/?{scope}",
            "master plan element": f"/plans/elements/{top.pk}/",
            "contributors in the province": f"/linkage/elements/{top.pk}/contributors/?province=50",
            "LAO report xlsx": f"/monitoring/plans/{lao.pk}/report.xlsx"}


def _counts(client, projects_per_plan) -> dict[str, int]:
    generate_province("50", lao=3, agencies=2, projects_per_plan=projects_per_plan, drafts=True)
    out = {}
    for name, url in _pages().items():
        client.get(url)   # caches filled on the first visit (frameworks, titles) are not per row
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = len(ctx.captured_queries)
    return out


@pytest.mark.django_db
def test_province_pages_do_not_ask_once_per_project(admin_user):
    client = Client()
    client.force_login(admin_user)
    few, many = _counts(client, 2), _counts(client, 20)
    assert many == few


@pytest.mark.django_db
def test_walking_up_from_a_province_finds_what_the_national_walk_finds_there():
    from oneplan.areas.models import Area
    from oneplan.plans import graph, totals
    from oneplan.plans.models import Element

    generate_province("50", lao=3, agencies=2, projects_per_plan=4, drafts=True)
    scope = set(totals.counted_plans(totals.area_q(Area.objects.get(code="50"))).values_list("pk", flat=True))
    in_scope = set(Element.objects.filter(plan_id__in=scope).values_list("pk", flat=True))
    tops = registry.plan_in_force("master-plans").elements.filter(parent__isnull=True)
    found_any = False
    for top in [*tops, *Element.objects.filter(parent__in=tops)[:5]]:
        for direct in (True, False):
            national = graph.contributors(top, through_frameworks=not direct) & in_scope
            assert graph.contributors(top, through_frameworks=not direct, within_plans=scope) == national, top.code
            found_any |= bool(national)
    assert found_any
    assert not Element.objects.filter(plan__status="draft", pk__in=graph.contributors(tops[0])).exists()
