"""The public report form, the follow page, the public list and the staff's steps, through HTTP."""
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from oneplan.clinic.models import Event, Photo, Report, ReporterContact, Status
from oneplan.clinic.services import NewReport, create_report
from oneplan.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db
MODELS = (Report, Event, Photo, ReporterContact)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _form(phuket, cat, **extra):
    data = {"category": cat("street-light").pk, "text": "ไฟถนนดับ 3 ต้น หน้าโรงเรียน",
            "province": phuket["province"].pk, "district": phuket["district"].pk, "subdistrict": phuket["sub"].pk,
            "village": "หมู่ 2", "lat": "", "lng": "", "website": ""}
    data.update(extra)
    return data


def _counts():
    return tuple(m.objects.count() for m in MODELS)


def test_form_page_lists_provinces_and_works_without_a_map(client):
    response = client.get(reverse("clinic:new"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "จังหวัดภูเก็ต" in body and 'name="subdistrict"' in body and "data-geolocate" in body
    assert "map" not in body.lower().replace("sitemap", "")



def test_only_the_report_form_may_ask_the_phone_for_its_position(client):
    """The site forbids geolocation; the GPS button of the report form needs it."""
    assert "geolocation=(self)" in client.get(reverse("clinic:new"))["Permissions-Policy"]
    assert "geolocation=()" in client.get(reverse("clinic:index"))["Permissions-Policy"]


def test_with_a_tile_server_the_form_shows_a_map_and_allows_only_that_server(client, settings):
    settings.ONEPLAN_MAP_TILES = "https://{s}.tiles.example.go.th/{z}/{x}/{y}.png"
    response = client.get(reverse("clinic:new"))
    body = response.content.decode()
    assert "data-map" in body and "data-editable" in body and "vendor/leaflet/leaflet.js" in body
    assert "img-src 'self' data: https://*.tiles.example.go.th;" in response["Content-Security-Policy"]
    assert "tiles.example" not in client.get(reverse("clinic:index"))["Content-Security-Policy"]


def test_a_tile_address_that_is_not_a_web_address_shows_no_map(client, settings):
    settings.ONEPLAN_MAP_TILES = "javascript:alert(1)//{z}/{x}/{y}"
    response = client.get(reverse("clinic:new"))
    assert "data-map" not in response.content.decode()
    assert "javascript" not in response["Content-Security-Policy"]


def test_the_public_page_shows_the_pin_of_a_report_with_a_position(client, settings, phuket, category):
    settings.ONEPLAN_MAP_TILES = "/tiles/{z}/{x}/{y}.png"
    with_gps = create_report(NewReport(category=category("street-light"), text="ไฟดับ", area=phuket["sub"],
                                       lat=Decimal("7.995120"), lng=Decimal("98.296330")))
    body = client.get(with_gps.get_absolute_url()).content.decode()
    assert 'data-lat="7.995120" data-lng="98.296330"' in body and "data-editable" not in body
    without = create_report(NewReport(category=category("street-light"), text="ไฟดับ", area=phuket["sub"]))
    assert "data-map" not in client.get(without.get_absolute_url()).content.decode()

def test_places_lists_districts_then_subdistricts(client, phuket):
    districts = client.get(reverse("clinic:places"), {"province": phuket["province"].pk}).content.decode()
    assert "อำเภอถลาง" in districts and "ตำบล" not in districts
    subs = client.get(reverse("clinic:places"), {"target": "subdistrict", "district": phuket["district"].pk})
    assert "ตำบลเชิงทะเล" in subs.content.decode()


def test_a_citizen_reports_with_photos_and_gets_a_reference_and_follow_link(client, phuket, category, jpeg):
    data = _form(phuket, category, lat="7.9951", lng="98.3024", name="สมชาย ใจดี", phone="๐๘๑-๒๓๔-๕๖๗๘",
                 consent="on")
    response = client.post(reverse("clinic:new"), {**data, "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert re.fullmatch(r"CC-25\d\d-\d{6}", report.reference)
    assert response["Location"] == reverse("clinic:follow", args=[report.reference, report.follow_token]) + "?new=1"
    assert report.responsible.key == "choeng-thale-municipality" and report.status == Status.RECEIVED
    assert report.province.code == "83" and report.photos.count() == 2
    assert report.contact.phone == "081-234-5678"
    for p in report.photos.all():
        assert b"PhoneMaker" not in p.image.read()
    page = client.get(response["Location"]).content.decode()
    assert report.reference in page and "เทศบาลตำบลเชิงทะเล" in page
    assert "บุ๊กมาร์ก" in page  # keep this link: it is the reporter's way back


@pytest.mark.parametrize("extra,files,message", [
    ({"website": "http://spam"}, None, "ไม่สามารถรับเรื่องนี้ได้"),
    ({"text": "\u200b\u200b \u2060"}, None, "มองไม่เห็น"),
    ({"lat": "51.5", "lng": "-0.12"}, None, "นอกประเทศไทย"),
    ({"subdistrict": ""}, None, "กรุณาเลือกตำบล"),
    ({"category": ""}, None, "กรุณาเลือกประเภทปัญหา"),
    ({"name": "สมชาย"}, None, "ยินยอม"),
    ({}, "not-image", "ไม่ใช่รูปภาพ"),
    ({}, "bomb", "พิกเซล"),
])
def test_bad_reports_are_refused_in_thai_and_nothing_is_saved(client, phuket, category, extra, files, message):
    data = {**_form(phuket, category), **extra}
    if files == "not-image":
        data["photos"] = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 an exe", content_type="image/jpeg")
    elif files == "bomb":
        out = io.BytesIO()
        Image.new("1", (20000, 20000)).save(out, "PNG")
        data["photos"] = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    before = _counts()
    response = client.post(reverse("clinic:new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_a_50_mb_photo_is_refused(client, phuket, category, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # streamed to a temporary file, as a real upload is
    data = _form(phuket, category, photos=SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024)))
    response = client.post(reverse("clinic:new"), data)
    assert response.status_code == 400 and "ใหญ่เกิน" in response.content.decode()
    assert not Report.objects.exists()


def test_a_subdistrict_outside_the_chosen_district_is_refused(client, phuket, category):
    from oneplan.areas.models import Area

    other = Area.objects.get(code="830101")
    response = client.post(reverse("clinic:new"), _form(phuket, category, subdistrict=other.pk))
    assert response.status_code == 400 and "ไม่อยู่ในอำเภอที่เลือก" in response.content.decode()


def test_rate_limit_per_visitor_refuses_in_thai_and_saves_nothing(client, phuket, category, settings):
    settings.CONSULTATION_RATE_LIMITS = {"clinic": {"visitor": (2, 10**9)}}
    client.get(reverse("clinic:new"))  # the form page gives the browser its visitor cookie
    for _ in range(2):
        assert client.post(reverse("clinic:new"), _form(phuket, category)).status_code == 302
    response = client.post(reverse("clinic:new"), _form(phuket, category))
    assert response.status_code == 429 and "ถี่เกินไป" in response.content.decode()
    assert Report.objects.count() == 2


def test_rate_limit_per_address_counts_visitors_without_cookies(client, phuket, category, settings):
    settings.CONSULTATION_RATE_LIMITS = {"clinic": {"address": (1, 10**9)}}
    assert client.post(reverse("clinic:new"), _form(phuket, category)).status_code == 302
    client.cookies.clear()  # a new visitor from the same address
    assert client.post(reverse("clinic:new"), _form(phuket, category)).status_code == 429
    assert Report.objects.count() == 1


def _report(phuket, category, code="street-light", text="ไฟถนนดับ หน้าโรงเรียน", **kw):
    return create_report(NewReport(category=category(code), text=text, area=phuket["sub"], name="สมหญิง",
                                   phone="0812345678", consent=True, **kw))


def test_public_pages_never_show_personal_data_or_internal_notes(client, phuket, category):
    report = _report(phuket, category)
    Event.objects.create(report=report, kind="note", note="ลับ: โทรหาผู้แจ้งแล้ว", public=False)
    for url in (reverse("clinic:index"), report.get_absolute_url()):
        body = client.get(url).content.decode()
        assert report.reference in body
        assert "สมหญิง" not in body and "0812345678" not in body and "ลับ" not in body
        assert report.follow_token not in body


def test_follow_link_needs_the_token(client, phuket, category):
    report = _report(phuket, category)
    assert client.get(reverse("clinic:follow", args=[report.reference, "wrong-token"])).status_code == 404


def _member(django_user_model, username, org_key, role="editor"):
    user = django_user_model.objects.create_user(username, password="x-pass-2569")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(key=org_key), role=role)
    return user


def test_municipality_accepts_and_finishes_with_a_photo_then_the_reporter_confirms_once(
        client, django_user_model, phuket, category, jpeg):
    report = _report(phuket, category)
    client.force_login(_member(django_user_model, "ct-staff", "choeng-thale-municipality"))
    assert client.post(reverse("clinic:step", args=[report.reference, "accept"]), {}).status_code == 302
    # done needs a photo and a note
    refused = client.post(reverse("clinic:step", args=[report.reference, "done"]), {"note": "เปลี่ยนหลอดแล้ว"})
    assert refused.status_code == 400 and "รูป" in refused.content.decode()
    response = client.post(reverse("clinic:step", args=[report.reference, "done"]),
                           {"note": "เปลี่ยนหลอดแล้ว", "photos": jpeg("done.jpg")})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DONE and report.closed_at
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == ["received", "accepted", "done"]
    assert report.events.get(kind="done").photos.count() == 1
    client.logout()
    follow = reverse("clinic:follow", args=[report.reference, report.follow_token])
    assert "เปลี่ยนหลอดแล้ว" in client.get(follow).content.decode()
    assert client.post(follow, {"action": "confirm"}).status_code == 302
    assert client.post(follow, {"action": "confirm"}).status_code == 409
    assert client.post(follow, {"action": "reopen"}).status_code == 409   # confirmed: no reopening
    report.refresh_from_db()
    assert report.confirmed_at and report.events.filter(kind="confirmed").count() == 1


def test_the_reporter_may_reopen_once(client, phuket, category):
    from oneplan.clinic.services import take_step

    report = _report(phuket, category)
    take_step(report, "cannot_do", note="อยู่นอกเขตรับผิดชอบ")
    follow = reverse("clinic:follow", args=[report.reference, report.follow_token])
    assert client.post(follow, {"action": "reopen", "note": "ยังดับอยู่"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.REOPENED and report.is_open
    take_step(report, "cannot_do", note="อีกครั้ง")
    assert client.post(follow, {"action": "reopen"}).status_code == 409


def test_others_cannot_act_and_nothing_changes(client, django_user_model, phuket, category):
    report = _report(phuket, category)
    # a member of another organisation, and the PAO's viewer
    for user in (_member(django_user_model, "po", "phuket-provincial-office"),
                 _member(django_user_model, "paoview", "phuket-pao", "viewer")):
        client.force_login(user)
        before = _counts()
        response = client.post(reverse("clinic:step", args=[report.reference, "accept"]), {})
        assert response.status_code in (403, 404)
        assert _counts() == before
        assert client.get(reverse("clinic:staff_report", args=[report.reference])).status_code == 404


def test_the_desk_sees_the_province_forwards_merges_and_sees_overdue(client, django_user_model, phuket, category):
    from datetime import date, timedelta

    first = _report(phuket, category, lat="7.995100", lng="98.302400")
    second = _report(phuket, category, text="ไฟถนนดับหลายต้น หน้าโรงเรียน มืดมาก", lat="7.995200", lng="98.302500")
    Report.objects.filter(pk=first.pk).update(due_date=date.today() - timedelta(days=1))
    desk = _member(django_user_model, "desk", "phuket-pao", "moderator")
    client.force_login(desk)
    page = client.get(reverse("clinic:desk"), {"view": "overdue"}).content.decode()
    assert first.reference in page and second.reference not in page
    staff = client.get(reverse("clinic:staff_report", args=[second.reference])).content.decode()
    assert "สมหญิง" in staff                 # the contact, for staff
    assert first.reference in staff          # suggested duplicate: near and similar
    response = client.post(reverse("clinic:step", args=[second.reference, "merge"]), {"into": first.reference})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into == first
    pao = Organisation.objects.get(key="phuket-provincial-office")
    response = client.post(reverse("clinic:step", args=[first.reference, "forward"]),
                           {"organisation": pao.pk, "note": "เป็นไฟของทางหลวง"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.responsible == pao and first.status == Status.FORWARDED
    # a forward needs a reason
    bad = client.post(reverse("clinic:step", args=[first.reference, "forward"]), {"organisation": pao.pk})
    assert bad.status_code == 400 and "เหตุผล" in bad.content.decode()


def test_a_report_at_the_desk_is_reassigned_by_the_desk_only(client, django_user_model, category):
    from oneplan.areas.models import Area

    report = create_report(NewReport(category=category("drainage"), text="ท่อตัน", area=Area.objects.get(code="830101")))
    assert report.at_desk and report.responsible.key == "phuket-pao"
    ct = Organisation.objects.get(key="choeng-thale-municipality")
    client.force_login(_member(django_user_model, "ct", "choeng-thale-municipality"))
    assert client.post(reverse("clinic:step", args=[report.reference, "reassign"]),
                       {"organisation": ct.pk}).status_code == 404
    client.force_login(_member(django_user_model, "desk2", "phuket-pao", "moderator"))
    assert "รอมอบหมาย" in client.get(reverse("clinic:desk"), {"view": "desk"}).content.decode()
    assert client.post(reverse("clinic:step", args=[report.reference, "reassign"]),
                       {"organisation": ct.pk}).status_code == 302
    report.refresh_from_db()
    assert report.responsible == ct and not report.at_desk and report.status == Status.RECEIVED


def test_photo_view_serves_the_cleaned_image(client, phuket, category, jpeg):
    from oneplan.clinic.photos import clean_image

    report = _report(phuket, category, photos=[clean_image(jpeg())])
    response = client.get(reverse("clinic:photo", args=[report.photos.get().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in b"".join(response.streaming_content)


def test_without_javascript_the_form_sent_back_with_get_fills_the_lists(client, phuket):
    body = client.get(reverse("clinic:new"), {"province": phuket["province"].pk,
                                             "district": phuket["district"].pk}).content.decode()
    assert "อำเภอถลาง" in body and "ตำบลเชิงทะเล" in body


def test_a_new_province_empties_the_subdistrict_list(client, phuket):
    body = client.get(reverse("clinic:places"), {"province": phuket["province"].pk}).content.decode()
    assert 'id="id_subdistrict" hx-swap-oob="innerHTML"' in body


def test_an_organisation_asked_to_help_sees_the_report_and_adds_notes_only(
        client, django_user_model, phuket, category):
    report = _report(phuket, category)
    office = Organisation.objects.get(key="phuket-provincial-office")
    client.force_login(_member(django_user_model, "ct-h", "choeng-thale-municipality"))
    assert client.post(reverse("clinic:step", args=[report.reference, "help"]),
                       {"organisation": office.pk, "note": "ขอรถกระเช้า"}).status_code == 302
    client.force_login(_member(django_user_model, "po-h", "phuket-provincial-office"))
    assert report.reference in client.get(reverse("clinic:desk")).content.decode()
    assert client.get(reverse("clinic:staff_report", args=[report.reference])).status_code == 200
    assert client.post(reverse("clinic:step", args=[report.reference, "note"]), {"note": "ส่งรถให้พรุ่งนี้"}).status_code == 302
    assert client.post(reverse("clinic:step", args=[report.reference, "done"]), {"note": "x"}).status_code == 403


def test_personal_data_is_erased_after_the_retention_period(phuket, category):
    from datetime import timedelta

    from django.utils import timezone

    from oneplan.clinic.services import purge_personal_data, take_step

    old, recent = _report(phuket, category), _report(phuket, category)
    take_step(old, "cannot_do", note="นอกเขต")
    Report.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    assert purge_personal_data(365) == 1
    assert not ReporterContact.objects.filter(report=old).exists()
    assert ReporterContact.objects.filter(report=recent).exists() and Report.objects.filter(pk=old.pk).exists()


def test_the_public_list_filters_and_keeps_the_filter_across_pages(client, phuket, category, monkeypatch):
    from oneplan.clinic import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    lights = [_report(phuket, category) for _ in range(2)]
    waste = _report(phuket, category, code="waste", text="ขยะไม่ได้เก็บ")
    body = client.get(reverse("clinic:index"), {"category": "street-light"}).content.decode()
    assert waste.reference not in body and lights[-1].reference in body
    assert "?category=street-light&page=2" in body


def test_the_desk_splits_a_report_holding_two_problems_and_each_goes_its_own_way(client, django_user_model, category):
    from oneplan.areas.models import Area

    report = create_report(NewReport(category=category("road"), text="ถนนเป็นหลุม และไฟถนนดับทั้งซอย",
                                     area=Area.objects.get(code="830303"), name="สมชาย", phone="0811111111",
                                     consent=True))
    url = reverse("clinic:step", args=[report.reference, "split"])
    client.force_login(_member(django_user_model, "ct-split", "choeng-thale-municipality"))
    assert client.post(url, {"category": category("street-light").pk, "text": "ไฟถนนดับทั้งซอย"}).status_code == 403
    assert not Report.objects.filter(text="ไฟถนนดับทั้งซอย").exists()   # refused: nothing written
    client.force_login(_member(django_user_model, "desk-split", "phuket-pao", "moderator"))
    assert client.post(url, {"category": category("street-light").pk, "text": "\u200b"}).status_code == 400
    before = Report.objects.count()
    response = client.post(url, {"category": category("street-light").pk, "text": "ไฟถนนดับทั้งซอย"})
    assert response.status_code == 302 and Report.objects.count() == before + 1
    new = Report.objects.exclude(pk=report.pk).latest("pk")
    assert (new.category.code, new.area_id, new.text) == ("street-light", report.area_id, "ไฟถนนดับทั้งซอย")
    assert new.responsible is not None and not ReporterContact.objects.filter(report=new).exists()
    split = Event.objects.get(report=report, kind="split")
    assert split.target_report == new and split.public
    public = client.get(report.get_absolute_url()).content.decode()
    assert new.reference in public and "สมชาย" not in public
