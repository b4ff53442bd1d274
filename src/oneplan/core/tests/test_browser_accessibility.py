"""The main pages, as a citizen and as an LAO editor, at a desk (1366 px) and on a phone (390 px): axe-core
finds no serious or critical WCAG 2.2 AA violation (target sizes of at least 24 px included), and no page
scrolls sideways on the phone."""
from pathlib import Path

import pytest

import oneplan.testing
from oneplan.conftest import login, settle

pytestmark = pytest.mark.browser
AXE = Path(oneplan.testing.__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"desk": (1366, 900), "phone": (390, 844)}
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — " +
         v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""


def _public_pages():
    from oneplan.consultation.models import ConsultationRound
    from oneplan.plans.models import Plan

    plan = Plan.objects.get(key="choeng-thale-local-2566-2570")
    project = plan.elements.filter(kind="project").order_by("order").first()
    pages = ["/", "/plans/", plan.get_absolute_url(), project.get_absolute_url(), "/search/?q=ท่องเที่ยว",
             "/portal/provinces/83/", "/monitoring/budget/83/", "/accounts/login/"]
    round_ = ConsultationRound.objects.exclude(status="planned").first()
    if round_ is not None:
        pages.append(round_.get_absolute_url())
    return pages


def _editor_pages():
    from oneplan.plans.models import Plan

    draft = Plan.objects.filter(owner__key="choeng-thale-municipality", status="draft").first()
    pages = ["/governance/", f"/plans/{draft.pk}/elements/new/?kind=project"] if draft else ["/governance/"]
    if draft is not None:
        project = draft.elements.filter(kind="project").first()
        if project is not None:
            pages.append(f"/plans/elements/{project.pk}/edit/")
    return pages


def _check(browser, server, pages, width, username=None) -> list[str]:
    from oneplan.governance.accounts import DEMO_FILE, load_demo_accounts

    load_demo_accounts()

    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, bypass_csp=True,
                                  is_mobile=width == "phone", has_touch=width == "phone")
    page = context.new_page()
    page.set_default_timeout(60000)
    found = []
    if username:
        import json

        login(page, server, username, json.loads(DEMO_FILE.read_text())["password"])
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for url in pages:
        page.goto(server.url + url)
        settle(page)
        page.add_script_tag(path=str(AXE))
        found += [f"{width} {url}: {v}" for v in page.evaluate(RUN_AXE)]
        if width == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > w + 1:
                found.append(f"{width} {url}: the page is {overflow} px wide on a {w} px screen")
    context.close()
    return found


def test_the_main_pages_have_no_serious_accessibility_violation_at_a_desk_and_on_a_phone(demo_server, browser):
    found = []
    for width in WIDTHS:
        found += _check(browser, demo_server, _public_pages(), width)
        found += _check(browser, demo_server, _editor_pages(), width, username="demo-editor")
    assert not found, "\n".join(found)
