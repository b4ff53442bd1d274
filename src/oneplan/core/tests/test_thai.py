from datetime import date
from decimal import Decimal

import pytest

from oneplan.core import thai


@pytest.mark.parametrize("typed,year", [("2566", 2566), ("๒๕๖๖", 2566), ("พ.ศ. 2567", 2567), (2570, 2570)])
def test_be_year_accepts_thai_and_arabic_digits(typed, year):
    assert thai.parse_be_year(typed) == year


def test_gregorian_year_is_refused_with_the_be_hint():
    with pytest.raises(thai.ThaiValueError) as exc:
        thai.parse_be_year("2024", "ปีเริ่มต้น")
    assert "ปีเริ่มต้น" in str(exc.value) and "2567" in str(exc.value)


@pytest.mark.parametrize("typed", ["25x6", "", "12345"])
def test_non_year_is_refused(typed):
    with pytest.raises(thai.ThaiValueError):
        thai.parse_be_year(typed)


@pytest.mark.parametrize("typed,amount", [
    ("1,250,000", Decimal("1250000.00")), ("๕๐๐,๐๐๐ บาท", Decimal("500000.00")), ("-", Decimal("0")),
    ("2.5 ล้านบาท", Decimal("2500000.00")), ("  30,000.50 ", Decimal("30000.50")), (1000, Decimal("1000.00")),
])
def test_amounts_as_written_in_thai_forms(typed, amount):
    assert thai.parse_amount(typed) == amount


@pytest.mark.parametrize("typed", ["หนึ่งแสน", "12a00", "-500"])
def test_bad_amounts_are_refused_in_thai(typed):
    with pytest.raises(thai.ThaiValueError) as exc:
        thai.parse_amount(typed, "งบประมาณปี 2567")
    assert "งบประมาณปี 2567" in str(exc.value)


def test_fiscal_year_starts_in_october():
    assert thai.fiscal_year(date(2023, 9, 30)) == 2566
    assert thai.fiscal_year(date(2023, 10, 1)) == 2567
    assert thai.fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))


def test_dates_show_buddhist_era():
    assert thai.format_date(date(2026, 11, 21)) == "21 พฤศจิกายน 2569"
    assert thai.format_date(date(2017, 8, 27), abbr=True) == "27 ส.ค. 2560"


def test_normalised_form_keeps_meaning_but_not_noise():
    assert thai.normalise("  ถนน  คสล.\u200b หมู่ที่ ๓ ") == "ถนน คสล. หมู่ที่ 3"
    assert thai.normalise("เเผนพัฒนา") == "แผนพัฒนา"


def test_thai_words_are_segmented():
    assert thai.tokenize("ส่งเสริมการท่องเที่ยวเชิงนิเวศ")[:2] == ["ส่งเสริม", "การท่องเที่ยว"]
    assert "ท่องเที่ยว" in thai.search_tokens("ส่งเสริมการท่องเที่ยวเชิงนิเวศ")


def test_thai_names_sort_in_dictionary_order_not_code_point_order():
    names = ["แพร่", "เชียงราย", "กระบี่", "แม่ฮ่องสอน", "ชลบุรี"]
    assert sorted(names, key=thai.thai_sort_key) == ["กระบี่", "ชลบุรี", "เชียงราย", "แพร่", "แม่ฮ่องสอน"]


def test_thai_sort_key_reads_leading_vowels_of_later_syllables_and_compares_tones_last():
    from pythainlp.util import collate

    words = ["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่", "นครราชสีมา", "หนองคาย", "นครนายก", "ไก", "ไก้"]
    assert sorted(words, key=thai.thai_sort_key) == collate(words)
    assert thai.thai_sort_key(None) == thai.thai_sort_key("")
