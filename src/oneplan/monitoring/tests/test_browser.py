"""The budget view's Sankey chart draws under the content security policy (no inline script)."""
import pytest

from oneplan.conftest import settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sankey_draws_and_tables_are_keyboard_reachable(demo_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})   # a phone
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{demo_server.url}/monitoring/budget/83/")
    page.wait_for_selector("[data-echarts='chart-sankey'] svg path", timeout=15000)
    assert page.locator("[data-echarts='chart-sankey']").get_attribute("data-drawn") == "1"
    assert page.get_by_role("heading", name="แผนแม่บท").count() >= 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "SELECT", "BUTTON")
    assert not [e for e in errors if "Content Security Policy" in e]
    settle(page)
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_every_sankey_label_stays_inside_the_chart(demo_server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{demo_server.url}/monitoring/budget/83/")
    page.wait_for_selector("[data-echarts='chart-sankey'] svg text", timeout=60000)
    outside = page.evaluate("""() => {
      const box = document.querySelector("[data-echarts='chart-sankey']").getBoundingClientRect();
      return [...document.querySelectorAll("[data-echarts='chart-sankey'] svg text")]
        .map(t => [t.textContent, t.getBoundingClientRect()])
        .filter(([_, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1))
        .map(([text, r]) => text + " (" + Math.round(r.left) + "–" + Math.round(r.right) + " of " +
                            Math.round(box.left) + "–" + Math.round(box.right) + ")");
    }""")
    assert not outside, outside
    settle(page)
    context.close()
