"""Bad input is refused with a Thai message naming the field; photos lose their metadata."""
import io
from datetime import UTC

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from oneplan.clinic import photos, validation
from oneplan.clinic.services import format_reference, next_reference

INVISIBLE = ["", "   ", "\u200b\u200b", "\u200b \u2060\ufeff", "\u202e\u202d", "\n\t \u00a0"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_text_of_only_invisible_characters_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        validation.clean_text(text)
    assert "ปัญหาที่พบ" in exc.value.messages[0]


def test_text_keeps_thai_as_written_without_bidi_controls():
    assert validation.clean_text(" ไฟดับ\u202e หน้าบ้าน <b>ด่วน</b> ") == "ไฟดับ หน้าบ้าน <b>ด่วน</b>"


def test_too_long_text_is_refused():
    with pytest.raises(ValidationError, match="ยาวเกินไป"):
        validation.clean_text("ก" * (validation.MAX_TEXT_CHARS + 1))


@pytest.mark.parametrize("lat,lng", [("13.7563", "100.5018"), ("๗.๙๙๕", "๙๘.๓๐๒"), ("", "")])
def test_coordinates_inside_thailand_or_none_are_accepted(lat, lng):
    validation.clean_coordinates(lat, lng)


@pytest.mark.parametrize("lat,lng,word", [
    ("0", "0", "นอกประเทศไทย"), ("51.5", "-0.12", "นอกประเทศไทย"), ("13.7", "", "ไม่ครบ"),
    ("abc", "100", "ละติจูด"), ("nan", "100", "ละติจูด"), ("1e999", "100", "ละติจูด"), ("13.7", "inf", "ลองจิจูด"),
])
def test_bad_coordinates_are_refused(lat, lng, word):
    with pytest.raises(ValidationError) as exc:
        validation.clean_coordinates(lat, lng)
    assert word in exc.value.messages[0]


def test_exif_and_gps_are_stripped_from_the_stored_photo(jpeg):
    uploaded = jpeg()
    original = uploaded.read()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the phone's photo has a GPS position
    assert b"PhoneMaker" in original
    content = photos.clean_image(uploaded)
    data = content.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and stored.size == (320, 240)
    assert not stored.getexif() and "exif" not in stored.info
    assert b"PhoneMaker" not in data


def test_large_photos_are_scaled_down(jpeg):
    stored = Image.open(io.BytesIO(photos.clean_image(jpeg(size=(4000, 3000))).read()))
    assert max(stored.size) == photos.MAX_SIDE


def test_a_non_image_is_refused():
    with pytest.raises(ValidationError, match="ไม่ใช่รูปภาพ"):
        photos.clean_image(SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image"), field="รูปที่ 1")


def test_a_file_over_the_size_limit_is_refused_before_reading_it():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * 16)
    big.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError, match="ใหญ่เกิน"):
        photos.clean_image(big)


def test_a_decompression_bomb_is_refused():
    # a PNG of 20,000 × 20,000 pixels compresses to a few hundred kilobytes
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    assert out.tell() < photos.MAX_BYTES
    with pytest.raises(ValidationError) as exc:
        photos.clean_image(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert "พิกเซล" in exc.value.messages[0]


def test_a_gif_is_refused_by_type():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError, match="GIF"):
        photos.clean_image(SimpleUploadedFile("a.gif", out.getvalue()))


def test_reference_format():
    assert format_reference(2569, 123) == "CC-2569-000123"


@pytest.mark.django_db
def test_reference_numbers_follow_each_other_in_the_buddhist_year():
    from datetime import datetime

    now = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    first, second = next_reference(now), next_reference(now)
    assert first.startswith("CC-2569-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    assert next_reference(datetime(2027, 6, 1, tzinfo=UTC)) == "CC-2570-000001"
