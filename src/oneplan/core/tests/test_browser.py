"""The top menu on a phone: folded behind its button, opened by a tap, no sideways scrolling;
on a wide screen the same links show without a tap. No script is involved (a <details> element)."""
import pytest

from oneplan.conftest import settle

pytestmark = pytest.mark.browser


def test_the_menu_folds_on_a_phone_and_stays_open_on_a_wide_screen(live_server, transactional_db, browser):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/plans/")
    first_link = page.locator("header.site nav a").first
    assert not first_link.is_visible()
    page.get_by_text("เมนู", exact=True).tap()
    assert first_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    settle(page)
    phone.close()

    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    page.goto(f"{live_server.url}/plans/")
    assert page.locator("header.site nav a").first.is_visible()
    assert not page.get_by_text("เมนู", exact=True).is_visible()
    settle(page)
    wide.close()
