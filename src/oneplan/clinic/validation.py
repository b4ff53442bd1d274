"""Checks every way in (the web form, the Open311 API) makes before a report is stored: Thai
messages naming the field, raised as ValidationError."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from oneplan.consultation.forms import _strip_controls as strip_controls
from oneplan.core.thai import to_arabic_digits

MAX_TEXT_CHARS = 3000
# Thailand's extent (5°37′N–20°28′N, 97°20′E–105°38′E); a box, so a point just across a border
# passes and the desk sees it on the map — what it keeps out is the sea, other continents, 0/0
THAILAND = {"lat": (Decimal("5.6"), Decimal("20.5")), "lng": (Decimal("97.3"), Decimal("105.7"))}


def clean_text(text: str, field: str = "ปัญหาที่พบ") -> str:
    """The text as written without control and bidi characters; refused if nothing visible is left."""
    cleaned = strip_controls(text or "")
    if not cleaned:
        raise ValidationError(f"กรุณาเล่าปัญหาที่พบ (ช่อง “{field}” ว่างหรือมีแต่อักขระที่มองไม่เห็น)")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise ValidationError(f"ช่อง “{field}” ยาวเกินไป ({len(cleaned):,} ตัวอักษร) "
                              f"พิมพ์ได้ไม่เกิน {MAX_TEXT_CHARS:,} ตัวอักษร")
    return cleaned


def _coordinate(value, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(to_arabic_digits(str(value)).strip())
        if number.is_finite() and abs(number) <= 180:
            return number.quantize(Decimal("0.000001"))
    except InvalidOperation:
        pass
    raise ValidationError(f"{name} “{str(value)[:30]}” ไม่ใช่พิกัดที่ถูกต้อง")


def clean_coordinates(lat, lng) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither, and inside Thailand."""
    lat, lng = _coordinate(lat, "ละติจูด"), _coordinate(lng, "ลองจิจูด")
    if (lat is None) != (lng is None):
        raise ValidationError("พิกัดไม่ครบ ต้องมีทั้งละติจูดและลองจิจูด (หรือเว้นว่างทั้งคู่)")
    if lat is None:
        return None, None
    (lat_lo, lat_hi), (lng_lo, lng_hi) = THAILAND["lat"], THAILAND["lng"]
    if not (lat_lo <= lat <= lat_hi and lng_lo <= lng <= lng_hi):
        raise ValidationError(f"พิกัด {lat}, {lng} อยู่นอกประเทศไทย กรุณาตรวจสอบตำแหน่ง "
                              "หรือเลือกตำบลจากรายการแทน")
    return lat, lng
