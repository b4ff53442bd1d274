"""Thai text, number and date handling used everywhere users type or see values.

- Buddhist-era years (พ.ศ. = ค.ศ. + 543) and Thai fiscal years (1 Oct of N−1 to 30 Sep of N).
- Thai digits (๐–๙) accepted on input.
- Text kept as written; a normalised form beside it for matching and search.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_DIGIT_TABLE = str.maketrans(THAI_DIGITS, "0123456789")
# Plausible plan years in พ.ศ.; a value in the Gregorian range is almost always a typing slip.
MIN_BE_YEAR, MAX_BE_YEAR = 2400, 2700

MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
             "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
MONTHS_TH_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
                  "พ.ย.", "ธ.ค."]

_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


class ThaiValueError(ValueError):
    """A value a user typed that cannot be read; the message is in Thai and user-facing."""


def to_arabic_digits(text: str) -> str:
    return text.translate(_DIGIT_TABLE)


def normalise(text: str | None) -> str:
    """Normalised form for matching: NFC, Arabic digits, no invisible characters, single spaces,
    the common typing slip "เ"+"เ" → "แ", lower-case Latin. The original stays in storage."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", to_arabic_digits(text))
    text = text.replace("เเ", "แ").replace("ํา", "ำ")
    return _SPACES.sub(" ", text).strip().lower()


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year(d: date | datetime) -> int:
    """Thai fiscal year (พ.ศ.) of a date: FY N runs 1 Oct N−1 … 30 Sep N."""
    return be_year(d.year + (1 if d.month >= 10 else 0))


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    y = ce_year(fy_be)
    return date(y - 1, 10, 1), date(y, 9, 30)


def format_date(d: date | datetime | None, abbr: bool = False) -> str:
    """'21 พฤศจิกายน 2569' (or '21 พ.ย. 2569')."""
    if d is None:
        return ""
    months = MONTHS_TH_ABBR if abbr else MONTHS_TH
    return f"{d.day} {months[d.month - 1]} {be_year(d.year)}"


def parse_be_year(value, field: str = "ปี") -> int:
    """Read a พ.ศ. year typed by a user ('2566', '๒๕๖๖', 'พ.ศ. 2566'). A Gregorian year is refused."""
    text = to_arabic_digits(str(value)).replace("พ.ศ.", "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ThaiValueError(f"{field}: ต้องเป็นปี พ.ศ. 4 หลัก (ได้รับ “{value}”)")
    year = int(text)
    if 1900 <= year < MIN_BE_YEAR:
        raise ThaiValueError(
            f"{field}: {year} ดูเหมือนเป็นปี ค.ศ. กรุณากรอกเป็นปี พ.ศ. (เช่น {be_year(year)})")
    if not MIN_BE_YEAR <= year <= MAX_BE_YEAR:
        raise ThaiValueError(f"{field}: ปี พ.ศ. {year} อยู่นอกช่วงที่เป็นไปได้")
    return year


_AMOUNT_JUNK = re.compile(r"(บาท|฿|,|\s)")


def parse_amount(value, field: str = "จำนวนเงิน") -> Decimal:
    """Read a baht amount as written in Thai forms: '1,250,000', '๕๐๐,๐๐๐ บาท', '-' (zero),
    '2.5 ล้านบาท'. Returns an exact Decimal; refuses text and negative amounts."""
    if value is None:
        return Decimal("0")
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(str(value))
    else:
        text = to_arabic_digits(str(value)).strip()
        multiplier = Decimal(1)
        if "ล้าน" in text:
            multiplier, text = Decimal(1_000_000), text.replace("ล้าน", "")
        text = _AMOUNT_JUNK.sub("", text)
        if text in ("", "-", "–", "—"):
            return Decimal("0")
        try:
            amount = Decimal(text) * multiplier
        except InvalidOperation:
            raise ThaiValueError(f"{field}: “{value}” ไม่ใช่จำนวนเงิน (ใช้ตัวเลข เช่น 1,250,000)") from None
    if amount < 0:
        raise ThaiValueError(f"{field}: จำนวนเงินติดลบไม่ได้ ({value})")
    if amount >= Decimal("1e13"):
        raise ThaiValueError(f"{field}: จำนวนเงินสูงผิดปกติ ({value})")
    return amount.quantize(Decimal("0.01"))


def format_amount(amount) -> str:
    if amount in (None, ""):
        return "-"
    amount = Decimal(amount)
    return f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"


def tokenize(text: str) -> list[str]:
    """Thai word segmentation (nlpo3/newmm dictionary shipped in the wheel), lower-cased, no spaces."""
    from pythainlp.tokenize import word_tokenize

    text = normalise(text)
    if not text:
        return []
    return [t for t in word_tokenize(text, engine="newmm", keep_whitespace=False) if t.strip()]


_NOMINAL_PREFIXES = ("การ", "ความ")


def search_tokens(text: str) -> list[str]:
    """Tokens for the search index: words, plus the stem of nominalised words
    ('การท่องเที่ยว' also indexes 'ท่องเที่ยว') so either form finds the other."""
    out = []
    for tok in tokenize(text):
        out.append(tok)
        for prefix in _NOMINAL_PREFIXES:
            if tok.startswith(prefix) and len(tok) > len(prefix) + 1:
                out.append(tok[len(prefix):])
    return out


# Thai dictionary order reads a leading vowel (เ แ โ ใ ไ) after the consonant it is written before
# (เชียงราย files under ช), and compares tone marks only when the letters are equal. Code-point order
# puts every word starting with เ-ไ after ฮ instead. PyICU is not installed; pythainlp's collate() has
# the same rule, but only as a sort function, not as a key usable with sorted(key=) or order_by lists.
_LEADING_VOWEL = re.compile("([เแโใไ])([ก-ฮ])")
_TONE_MARKS = re.compile("[\u0e47-\u0e4c]")  # ็ ่ ้ ๊ ๋ ์


def thai_sort_key(text: str | None) -> tuple[str, str]:
    """Key for sorting Thai names in dictionary order: sorted(provinces, key=lambda a: thai_sort_key(a.name_th))."""
    swapped = _LEADING_VOWEL.sub(r"\2\1", normalise(text))
    return _TONE_MARKS.sub("", swapped), swapped


# Characters that show nothing but make two strings differ: zero-width space/non-joiner/joiner, word
# joiner, BOM, soft hyphen, bidi embeddings/overrides/isolates and marks. A code "1" and "1"+ZWSP must be
# the same code, and a title made only of them is empty.
_INVISIBLE_ALL = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# C0/C1 control characters (NUL, ESC …) have no place in plan text; tab and line breaks do.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f]")


def strip_invisible(text: str | None) -> str:
    """The text without invisible characters (kept otherwise as written, unlike normalise)."""
    return _INVISIBLE_ALL.sub("", text or "")


def is_blank_text(text: str | None) -> bool:
    """True for text that looks empty: nothing but spaces and invisible characters."""
    return not strip_invisible(text).strip()


def has_control_chars(text: str | None, *, single_line: bool = False) -> bool:
    """Control characters (NUL, ESC …); with single_line also tabs and line breaks (codes, keys)."""
    return bool((_CONTROL_OR_BREAK if single_line else _CONTROL).search(text or ""))


# The bidirectional embedding/override/isolate controls (they can make text read differently from
# what is stored): removed from public comments before they are stored.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
