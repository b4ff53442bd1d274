"""Reading a KPI's target out of its wording (transfer.text_kpi)."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneplan.core.thai import THAI_DIGITS
from oneplan.transfer.text_kpi import UNITS, KpiTarget, direction_of, province_in, read_target


@pytest.mark.parametrize("text, value, unit, direction", [
    ("รายได้จากการท่องเที่ยวเพิ่มขึ้นร้อยละ 5", "5", "ร้อยละ", "increase"),
    ("จำนวนจุดความร้อนลดลงร้อยละ 10", "10", "ร้อยละ", "decrease"),
    ("ร้อยละของครัวเรือนที่คัดแยกขยะ ไม่น้อยกว่า 80 %", "80", "ร้อยละ", "increase"),
    ("จำนวนแหล่งท่องเที่ยวที่ได้รับการฟื้นฟู จำนวน 3 แห่ง", "3", "แห่ง", "increase"),
    ("ปริมาณขยะมูลฝอยลดลงร้อยละ ๕", "5", "ร้อยละ", "decrease"),
    ("ร้อยละของนักเรียนที่ผ่านเกณฑ์ (O-NET) ไม่น้อยกว่าร้อยละ 60", "60", "ร้อยละ", "increase"),
    ("จำนวนวันที่ค่าฝุ่น PM2.5 เกินมาตรฐานไม่เกิน 30 วัน", "30", "วัน", "decrease"),
    ("พื้นที่เกษตรปลอดภัย จำนวน 5,000 ไร่", "5000", "ไร่", "increase"),
    ("อัตราการให้น้ำมันของผลปาล์มไม่ต่ำกว่าร้อยละ 18", "18", "ร้อยละ", "increase"),
    ("ค่าความพึงพอใจ ไม่น้อยกว่า 4.5 คะแนน", "4.5", "คะแนน", "increase"),
    ("ผู้ได้รับความช่วยเหลือเพิ่มขึ้น 200 ราย", "200", "ราย", "increase"),
])
def test_target_value_unit_and_direction(text, value, unit, direction):
    target = read_target(text)
    assert (target.value, target.unit, target.direction) == (Decimal(value), unit, direction)


def test_no_figure_no_target():
    assert read_target("ร้อยละที่เพิ่มขึ้นของมูลค่าการค้าชายแดน") is None
    assert read_target("ระดับความสำเร็จของการพัฒนาระบบฐานข้อมูล พ.ศ. 2566") is None


def test_a_year_is_when_not_how_much():
    target = read_target("สัดส่วนคนจนลดลงเหลือไม่เกินร้อยละ 8 ภายในปี 2570")
    assert (target.value, target.year, target.direction) == (Decimal(8), 2570, "decrease")
    assert target.targets(2566, 2570) == {2570: Decimal(8)}


def test_per_year_target_holds_every_year_of_the_plan():
    target = read_target("รายได้เพิ่มขึ้นร้อยละ 5 ต่อปี")
    assert target.per_year and target.targets(2566, 2570) == {y: Decimal(5) for y in range(2566, 2571)}
    assert read_target("ชุมชนที่ได้มาตรฐาน เพิ่มขึ้นปีละ 5 ชุมชน").per_year


def test_a_single_figure_is_reached_by_the_last_year_of_the_plan():
    assert read_target("จำนวน 3 แห่ง").targets(2566, 2570) == {2570: Decimal(3)}
    assert KpiTarget(by_year={2566: Decimal(1)}).targets(2566, 2570) == {2566: Decimal(1)}


def _thai(text):
    return text.translate(str.maketrans("0123456789", THAI_DIGITS))


values = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("99999"), places=1).map(lambda d: d.normalize())


@given(value=values, unit=st.sampled_from(UNITS), thai=st.booleans(),
       lead=st.sampled_from(["เพิ่มขึ้น", "ไม่น้อยกว่า", "ไม่ต่ำกว่า", "อย่างน้อย", "จำนวน"]))
def test_any_counted_target_is_read(value, unit, thai, lead):
    figure = f"{value:f}" if value < 1000 else f"{value:,f}"
    text = f"จำนวนผู้ได้รับประโยชน์{lead} {figure} {unit}"
    target = read_target(_thai(text) if thai else text)
    assert (target.value, target.unit, target.direction) == (value, unit, "increase")


@given(value=values, year=st.integers(2560, 2599), decrease=st.booleans(), thai=st.booleans())
def test_any_percentage_target_is_read_and_the_year_is_never_the_value(value, year, decrease, thai):
    text = f"อัตราการว่างงาน{'ลดลง' if decrease else 'เพิ่มขึ้น'}ร้อยละ {value:f} ภายในปี พ.ศ. {year}"
    target = read_target(_thai(text) if thai else text)
    assert (target.value, target.unit, target.year) == (value, "ร้อยละ", year)
    assert target.direction == ("decrease" if decrease else "increase")


@pytest.mark.parametrize("text, direction", [
    ("อัตราการป่วยด้วยโรคเบาหวานรายใหม่ลดลง", "decrease"),
    ("ร้อยละที่เพิ่มขึ้นของรายได้", "increase"),
    ("ไม่น้อยกว่าร้อยละ 80", "increase"),
    ("รักษาระดับความพึงพอใจ", "maintain"),
])
def test_direction_from_the_words(text, direction):
    assert direction_of(text) == direction


def test_province_named_most_often_wins_over_a_venue_in_the_next_province():
    texts = ["ณ โรงแรมเขาหลัก จังหวัดพังงา", "ผู้ว่าราชการจังหวัดภูเก็ต", "ที่ จ.ภูเก็ต"]
    assert province_in(texts).name_th == "ภูเก็ต"
    assert province_in(["ไม่มีชื่อจังหวัด"]) is None
    assert province_in(texts, "แผนพัฒนาจังหวัดพังงา (พ.ศ. 2566 – 2570)").code == "82"
