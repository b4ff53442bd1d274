"""Shared fixtures: the reference frameworks and demo plans are loaded once per test session
(each test then runs in a transaction that is rolled back)."""
from pathlib import Path

import pytest


def load_everything():
    import oneplan.organisations
    from oneplan.areas.loader import load_areas
    from oneplan.clinic.loader import load_categories
    from oneplan.demo.loader import load_demo
    from oneplan.frameworks.loader import load_frameworks
    from oneplan.governance.locks import allow_published_changes
    from oneplan.organisations.loader import load_organisations

    load_areas()  # the demo plans need subdistricts (LAO areas)
    load_organisations(Path(oneplan.organisations.__file__).parent / "data" / "organisations.json")
    load_categories()  # the Clinic Center's problem categories (load-reference loads them too)
    with allow_published_changes():  # as the operator's load-reference and load-demo do
        load_frameworks()
        load_demo()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_everything()


@pytest.fixture
def phuket_plan(db):
    from oneplan.plans.models import Plan

    return Plan.objects.get(key="phuket-provincial-2561-2564")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by tests are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install chromium (see .ci/run)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "browser"


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # a loaded CI box can be slow to answer; the wait is for the page, not a margin on a measurement
    page.set_default_timeout(60000)
    yield page
    settle(page)
    # the last screen of every story is kept to look at (build/browser/<test>.png)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTEFACTS / f"{request.node.name[:150]}.png"), full_page=True)
    except Exception:  # the page may be gone; the story's own assertions have spoken
        pass
    context.close()


def settle(page):
    """Let the page's own requests (htmx panels) finish before the test database is flushed: the live
    server shares the in-memory SQLite database, and a request still reading locks its tables."""
    try:
        page.wait_for_load_state("networkidle", timeout=15000)
    except Exception:  # the page may already be gone; nothing left in flight then
        pass


@pytest.fixture
def demo_server(transactional_db, live_server):
    """A live server with the reference frameworks and demo plans (browser tests are transactional,
    so the session data is not visible to them)."""
    load_everything()
    return live_server


def login(page, server, username, password="correct-horse-battery-9"):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stack button[type=submit]")
