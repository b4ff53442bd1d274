"""The budget view's Sankey chart draws under the content security policy (no inline script)."""
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def loaded(transactional_db):
    from oneplan.conftest import load_everything

    load_everything(subdistricts=False)


def test_sankey_draws_and_tables_are_keyboard_reachable(live_server, loaded):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        page = browser.new_page(viewport={"width": 390, "height": 844})   # a phone
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/monitoring/budget/83/")
        page.wait_for_selector("[data-echarts='chart-sankey'] svg path", timeout=15000)
        assert page.locator("[data-echarts='chart-sankey']").get_attribute("data-drawn") == "1"
        assert page.get_by_role("heading", name="แผนแม่บท").count() >= 1
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "SELECT", "BUTTON")
        assert not [e for e in errors if "Content Security Policy" in e]
        browser.close()
