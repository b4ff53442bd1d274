"""A citizen reports a broken street light on a phone and the municipality fixes it (real browser)."""
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

import oneplan.demo
import oneplan.organisations
from oneplan.conftest import ARTEFACTS, CHROMIUM
from oneplan.governance.tests.test_browser_chains import DEMO_PASSWORD, Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def clinic_world(transactional_db, settings, tmp_path):
    from oneplan.areas.loader import load_areas
    from oneplan.clinic.loader import load_categories
    from oneplan.governance.accounts import load_demo_accounts
    from oneplan.organisations.loader import load_organisations

    settings.MEDIA_ROOT = tmp_path / "media"
    load_areas()  # with subdistricts: the citizen picks ตำบลเชิงทะเล
    for package in (oneplan.organisations, oneplan.demo):
        load_organisations(Path(package.__file__).parent / "data" / "organisations.json")
    load_demo_accounts()
    load_categories()


def _photo(tmp_path, name, colour) -> str:
    path = tmp_path / name
    Image.new("RGB", (800, 600), colour).save(path, "JPEG")
    return str(path)


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_citizen_reports_a_broken_street_light_on_a_phone_and_the_municipality_fixes_it(
        live_server, browser, page, clinic_world, tmp_path):
    from oneplan.clinic.models import Report, Status

    assert Path(CHROMIUM).exists()
    phone = browser.new_context(**PHONE)
    citizen = phone.new_page()
    citizen.set_default_timeout(60000)
    # 1. the citizen, no account, on a 390 px phone
    citizen.goto(f"{live_server.url}/clinic/")
    citizen.get_by_role("link", name="แจ้งปัญหา", exact=True).last.click()
    citizen.wait_for_url("**/clinic/new/")
    citizen.select_option("#id_category", label="ไฟฟ้าส่องสว่างสาธารณะดับหรือชำรุด")
    citizen.fill("#id_text", "ไฟถนนดับ 3 ต้น หน้าโรงเรียนบ้านเชิงทะเล กลางคืนมืดมาก")
    citizen.set_input_files("#id_photos", _photo(tmp_path, "light.jpg", (30, 30, 40)))
    citizen.select_option("#id_province", label="จังหวัดภูเก็ต")
    citizen.wait_for_selector("#id_district option:text('อำเภอถลาง')", state="attached")
    citizen.select_option("#id_district", label="อำเภอถลาง")
    citizen.wait_for_selector("#id_subdistrict option:text('ตำบลเชิงทะเล')", state="attached")
    citizen.select_option("#id_subdistrict", label="ตำบลเชิงทะเล")
    citizen.fill("#id_village", "หน้าโรงเรียนบ้านเชิงทะเล")
    assert _fits_the_phone(citizen)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(ARTEFACTS / "clinic_report_form_phone.png"), full_page=True)
    citizen.get_by_role("button", name="ส่งเรื่อง").click()
    citizen.wait_for_url("**/follow/**")
    follow_url = citizen.url
    report = Report.objects.get()
    assert report.reference in citizen.inner_text("h1")
    assert "เทศบาลตำบลเชิงทะเล" in citizen.inner_text("main")
    assert _fits_the_phone(citizen)

    # 2. the municipality accepts it, then reports it done with a photo and a note
    desk = Desk(page, live_server)
    desk.as_user("demo-editor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/clinic/desk/")
    page.get_by_role("link", name=report.reference).click()
    page.locator("#step-accept button").click()
    page.wait_for_load_state("networkidle")
    page.locator("summary", has_text="แก้ไขเสร็จ").click()
    page.fill("#step-done textarea[name=note]", "เปลี่ยนหลอดไฟ LED ทั้ง 3 ต้นแล้ว")
    page.set_input_files("#step-done input[name=photos]", _photo(tmp_path, "fixed.jpg", (250, 240, 200)))
    page.locator("#step-done button").click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == Status.DONE

    # 3. the citizen sees it done with the photo, and confirms
    citizen.goto(follow_url)
    main = citizen.inner_text("main")
    assert "แก้ไขเสร็จแล้ว" in main and "เปลี่ยนหลอดไฟ LED" in main
    assert citizen.locator(".timeline img").count() == 1
    citizen.get_by_role("button", name="ยืนยัน แก้ไขเรียบร้อยแล้ว").click()
    citizen.wait_for_load_state("networkidle")
    assert "ผู้แจ้งยืนยันว่าแก้ไขแล้ว" in citizen.inner_text(".timeline")
    assert citizen.get_by_role("button", name="ยืนยัน แก้ไขเรียบร้อยแล้ว").count() == 0  # once
    assert _fits_the_phone(citizen)
    citizen.screenshot(path=str(ARTEFACTS / "clinic_street_light_phone.png"), full_page=True)
    report.refresh_from_db()
    assert report.confirmed_at is not None
    phone.close()



def _place_in_cherngtalay(citizen):
    citizen.select_option("#id_category", label="ไฟฟ้าส่องสว่างสาธารณะดับหรือชำรุด")
    citizen.fill("#id_text", "ไฟถนนดับหน้าตลาด")
    citizen.select_option("#id_province", label="จังหวัดภูเก็ต")
    citizen.wait_for_selector("#id_district option:text('อำเภอถลาง')", state="attached")
    citizen.select_option("#id_district", label="อำเภอถลาง")
    citizen.wait_for_selector("#id_subdistrict option:text('ตำบลเชิงทะเล')", state="attached")
    citizen.select_option("#id_subdistrict", label="ตำบลเชิงทะเล")


def test_a_citizen_adds_the_phones_gps_position_to_a_report(live_server, browser, clinic_world):
    """The site forbids geolocation everywhere but on the report form, where the phone may give it."""
    from oneplan.clinic.models import Report

    phone = browser.new_context(**PHONE, geolocation={"latitude": 7.99512, "longitude": 98.29633},
                                permissions=["geolocation"])
    citizen = phone.new_page()
    citizen.set_default_timeout(60000)
    citizen.goto(f"{live_server.url}/clinic/new/")
    assert not citizen.locator("[data-map]").count()   # no tile server configured: no map, no Leaflet
    _place_in_cherngtalay(citizen)
    citizen.get_by_role("button", name="เพิ่มตำแหน่ง GPS").click()
    expect(citizen.locator("#geo-status")).to_contain_text("7.99512")   # (CSP forbids eval-based waits)
    citizen.get_by_role("button", name="ส่งเรื่อง").click()
    citizen.wait_for_url("**/follow/**")
    report = Report.objects.get()
    assert (float(report.lat), float(report.lng)) == (7.99512, 98.29633)


def test_a_citizen_puts_a_pin_on_the_map_where_a_tile_server_is_configured(
        live_server, browser, clinic_world, settings):
    from oneplan.clinic.models import Report

    # a tile server on this host: any picture serves as a tile for the test
    settings.ONEPLAN_MAP_TILES = "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    settings.ONEPLAN_MAP_ATTRIBUTION = "แผนที่ทดสอบ"
    citizen = browser.new_context(**PHONE).new_page()
    citizen.set_default_timeout(60000)
    failed = []
    citizen.on("requestfailed", lambda r: failed.append(r.url))
    citizen.goto(f"{live_server.url}/clinic/new/")
    _place_in_cherngtalay(citizen)
    citizen.wait_for_selector("#clinic-map .leaflet-tile-loaded", state="attached")
    assert "แผนที่ทดสอบ" in citizen.inner_text("#clinic-map")
    citizen.locator("#clinic-map").click()   # the centre of a map of all Thailand
    lat, lng = float(citizen.input_value("#id_lat")), float(citizen.input_value("#id_lng"))
    assert 12 < lat < 14 and 100 < lng < 102
    assert citizen.locator("#clinic-map path.leaflet-interactive").count() == 1   # the pin
    assert _fits_the_phone(citizen)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(ARTEFACTS / "clinic_report_form_map.png"), full_page=True)
    citizen.get_by_role("button", name="ส่งเรื่อง").click()
    citizen.wait_for_url("**/follow/**")
    report = Report.objects.get()
    assert (round(float(report.lat), 6), round(float(report.lng), 6)) == (lat, lng)
    # the public page shows the same place on the map
    citizen.wait_for_selector("#clinic-map path.leaflet-interactive", state="attached")
    assert not citizen.locator("#clinic-map[data-editable]").count()
    assert not failed
