"""Open311 GeoReport v2: what a LINE bot or a city system sends and reads, and every refusal in the Open311
error format with a Thai description, the right status and nothing stored."""
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from oneplan.clinic.models import PartnerKey, Report, Source
from oneplan.organisations.models import Organisation

from .open_helpers import categories, make_report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
GOOD = {"service_code": "road", "description": "ถนนหน้าวัดเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย", "address_id": "830303"}


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()   # rate-limit counters live in the cache, which no test transaction rolls back
    categories()


@pytest.fixture
def partner():
    pao = Organisation.objects.filter(kind="pao", area__code="83").first()
    row, key = PartnerKey.issue("LINE bot ภูเก็ต", pao)
    return row, key


def _errors(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in body[0]["description"]), body   # Thai
    return body[0]["description"]


def test_services_list_the_categories_with_their_codes(client):
    body = client.get(BASE + "services.json").json()
    codes = {s["service_code"] for s in body}
    assert {"road", "flooding", "waste"} <= codes
    road = next(s for s in body if s["service_code"] == "road")
    assert road["service_name"] and road["metadata"] is True and road["type"] == "realtime"


def test_service_definition_lists_the_attributes_and_unknown_code_is_404(client):
    body = client.get(BASE + "services/flooding.json").json()
    assert body["service_code"] == "flooding"
    assert {a["code"] for a in body["attributes"]} >= {"subdistrict", "village", "consent"}
    assert "ไม่พบประเภทปัญหา" in _errors(client.get(BASE + "services/no-such.json"), 404)


@pytest.mark.parametrize("path", ["services.xml", "requests.xml", "services/road.xml", "requests/CC-2569-000001.xml"])
def test_only_json_is_spoken(client, path):
    assert "JSON" in _errors(client.get(BASE + path), 400)


def test_anonymous_post_is_routed_like_the_web_form_and_reads_back_without_personal_data(client):
    response = client.post(BASE + "requests.json", {
        **GOOD, "first_name": "สมชาย", "last_name": "ใจดี", "phone": "0812345678", "attribute[consent]": "yes",
        "attribute[village]": "หมู่ 3 บ้านบางเทา"})
    assert response.status_code == 201, response.content
    ref = response.json()[0]["service_request_id"]
    report = Report.objects.get(reference=ref)
    assert report.source == Source.API and report.responsible.key == "choeng-thale-municipality"
    assert report.contact.phone == "0812345678"         # kept, with consent ...
    one = client.get(f"{BASE}requests/{ref}.json")
    text = one.content.decode()
    assert one.json()[0]["agency_responsible"] == report.responsible.name_th
    for secret in ("สมชาย", "0812345678", report.follow_token):   # ... never shown
        assert secret not in text
    listed = client.get(BASE + "requests.json").content.decode()
    assert ref in listed and "0812345678" not in listed and report.follow_token not in listed


def test_photo_is_stored_stripped(client):
    image = Image.new("RGB", (64, 48), (10, 200, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    upload = SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")
    response = client.post(BASE + "requests.json", {**GOOD, "media": upload})
    assert response.status_code == 201, response.content
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    photo = report.photos.get()
    assert b"PhoneMaker" not in photo.image.read()
    assert client.get(f"{BASE}requests/{report.reference}.json").json()[0]["media_url"]


BAD_POSTS = {
    "unknown service_code": ({**GOOD, "service_code": "ufo"}, 400, "service_code"),
    "no service_code": ({k: v for k, v in GOOD.items() if k != "service_code"}, 400, "service_code"),
    "invisible text only": ({**GOOD, "description": "\u200b\u200b \u2060"}, 400, "description"),
    "text too long": ({**GOOD, "description": "ก" * 20000}, 400, "description"),
    "outside Thailand": ({**GOOD, "lat": "51.5", "long": "-0.12"}, 400, "นอกประเทศไทย"),
    "lat without long": ({**GOOD, "lat": "7.95"}, 400, "lat / long"),
    "lat not a number": ({**GOOD, "lat": "abc", "long": "98.3"}, 400, "lat / long"),
    "unknown subdistrict": ({**GOOD, "address_id": "999999"}, 400, "address_id"),
    "no place at all": ({"service_code": "road", "description": "ถนนพัง"}, 400, "ที่เกิดปัญหา"),
    "name without consent": ({**GOOD, "phone": "0812345678"}, 400, "ยินยอม"),
    "honeypot filled": ({**GOOD, "website": "http://spam.example"}, 400, "ไม่รับ"),
    "not an image": ({**GOOD, "media": SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not a picture")}, 400, "media"),
}


@pytest.mark.parametrize("case", list(BAD_POSTS))
def test_bad_posts_are_refused_and_nothing_is_stored(client, case):
    data, status, words = BAD_POSTS[case]
    before = Report.objects.count()
    assert words in _errors(client.post(BASE + "requests.json", data), status)
    assert Report.objects.count() == before


def test_huge_body_is_refused_before_it_is_read(client):
    before = Report.objects.count()
    response = client.generic("POST", BASE + "requests.json", b"x" * 1024, content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert "MB" in _errors(response, 413)
    assert Report.objects.count() == before


def test_wrong_or_revoked_api_key_is_403(client, partner):
    row, key = partner
    assert "api_key" in _errors(client.post(BASE + "requests.json", {**GOOD, "api_key": "o311_wrong"}), 403)
    PartnerKey.objects.filter(pk=row.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert "api_key" in _errors(client.post(BASE + "requests.json", {**GOOD, "api_key": key}), 403)
    assert "api_key" in _errors(client.get(BASE + "requests.json", {"api_key": key}), 403)
    assert not Report.objects.filter(source=Source.PARTNER).exists()


def test_anonymous_posts_hit_the_web_forms_rate_limit_a_partner_key_does_not(client, partner):
    _row, key = partner
    statuses = [client.post(BASE + "requests.json", GOOD).status_code for _ in range(6)]
    assert statuses[:5] == [201] * 5 and statuses[5] == 429
    for _ in range(7):
        assert client.post(BASE + "requests.json", {**GOOD, "api_key": key}).status_code == 201
    marked = Report.objects.filter(source=Source.PARTNER)
    assert marked.count() == 7 and set(marked.values_list("source_detail", flat=True)) == {"LINE bot ภูเก็ต"}


@pytest.mark.parametrize(("query", "words"), [
    ({"start_date": "yesterday"}, "start_date"), ({"end_date": "2026-13-45"}, "end_date"),
    ({"start_date": "2026-10-02", "end_date": "2026-10-01"}, "end_date"), ({"status": "pending"}, "status"),
    ({"service_code": "road,ufo"}, "ufo"), ({"limit": "0"}, "limit"), ({"limit": "5000"}, "limit"),
    ({"service_request_id": ",".join(f"CC-2569-{i:06d}" for i in range(1001))}, "service_request_id")])
def test_bad_filters_are_400(client, query, words):
    assert words in _errors(client.get(BASE + "requests.json", query), 400)


def test_filters_by_status_code_and_dates(client):
    done = make_report("flooding", status="done", days_ago=20, days_to_close=3)
    waiting = make_report("road", days_ago=5)
    old = make_report("road", days_ago=400)
    merged = make_report("road", status="merged", days_ago=2)

    def ids(**q):
        return {r["service_request_id"] for r in client.get(BASE + "requests.json", q).json()}

    assert {done.reference, waiting.reference} <= ids() and old.reference not in ids()   # 90 days by default
    assert merged.reference not in ids()
    assert done.reference in ids(status="closed") and waiting.reference not in ids(status="closed")
    assert waiting.reference in ids(status="open") and done.reference not in ids(status="open")
    assert ids(service_code="flooding") >= {done.reference} and waiting.reference not in ids(service_code="flooding")
    assert old.reference in ids(start_date="2020-01-01")
    assert ids(service_request_id=f"{old.reference},{done.reference}") == {old.reference, done.reference}
    assert len(client.get(BASE + "requests.json", {"limit": "1"}).json()) == 1
    detail = client.get(f"{BASE}requests/{done.reference}.json").json()[0]
    assert detail["status"] == "closed" and detail["status_detail"] == "done"
    assert "ไม่พบ" in _errors(client.get(f"{BASE}requests/CC-2500-999999.json"), 404)


def test_wrong_method_is_405_in_open311_format(client):
    response = client.post(BASE + "services.json")
    assert response.status_code == 405 and json.loads(response.content)[0]["code"] == 405
