import pytest

from oneplan.transfer.editions import parse_edition, parse_period


@pytest.mark.parametrize("title, kind, number, year", [
    ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) เพิ่มเติม (ฉบับที่ 3) ประจำปีงบประมาณ พ.ศ. 2567", "addition", 3, 2567),
    ("ทบทวน ครั้งที่ 2/2565", "review", 2, 2565),
    ("เปลี่ยนแปลง ครั้งที่ 3 / 2567", "change", 3, 2567),
    ("แก้ไข (ฉบับที่ 1)", "correction", 1, None),
    ("ฉบับแรก", "first", None, None),
    ("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ - ๒๕๗๐) เปลี่ยนแปลง ครั้งที่ ๒/๒๕๖๖", "change", 2, 2566),
    ("ทบทวน ครั้งที่2/65", "review", 2, 2565),
    ("เพิ่มเติม ฉบับที่  2  พ.ศ.  2567", "addition", 2, 2567),
    ("เพิ่มเติม(ฉบับที่๔)", "addition", 4, None),
    ("แผนพัฒนาจังหวัดภูเก็ต ( พ.ศ. 2561 – 2564 ) ฉบับทบทวน พ.ศ. 2562", "review", None, 2562),
    ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)", "first", None, None),
    ("แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (พ.ศ. 2566 – 2570)", "first", None, None),
])
def test_edition_type_number_and_year(title, kind, number, year):
    edition = parse_edition(title)
    assert (edition.type, edition.number, edition.year) == (kind, number, year)


def test_combination_names_every_kind_and_shares_the_number():
    edition = parse_edition("แผนพัฒนาท้องถิ่น พ.ศ.2566-2570 เพิ่มเติมและเปลี่ยนแปลง ครั้งที่ 1/2567")
    assert edition.types == ("addition", "change")
    assert (edition.type, edition.number, edition.year) == ("addition", 1, 2567)
    assert parse_edition("(ฉบับแก้ไขเพิ่มเติม)").types == ("correction", "addition")


@pytest.mark.parametrize("title, period", [
    ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570)", (2566, 2570)),
    ("แผนพัฒนาท้องถิ่น พ.ศ.๒๕๖๖-๒๕๗๐", (2566, 2570)),
    ("แผนพัฒนาจังหวัดภูเก็ต ( พ.ศ. 2561 – 2564 )", (2561, 2564)),
    ("เป้าหมายการพัฒนาจังหวัด 2566—2585", (2566, 2585)),
    ("แผนพัฒนาท้องถิ่น (2566 - 70)", (2566, 2570)),
    ("ทบทวน ครั้งที่ 2/2565", (None, None)),
    ("แผน 2570 - 2566", (None, None)),
])
def test_plan_period(title, period):
    assert parse_period(title) == period


def test_period_and_edition_together():
    edition = parse_edition("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 – 2570) เพิ่มเติม (ฉบับที่ 3) ประจำปีงบประมาณ พ.ศ. 2567")
    assert (edition.start_year, edition.end_year) == (2566, 2570)
    assert edition.as_interchange() == {"type": "addition", "number": 3, "year": 2567}
