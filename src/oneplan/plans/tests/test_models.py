"""The plan graph refuses what would break "one plan": bad periods, Gregorian years, duplicate
codes, links that point downward or inside the same plan."""
import pytest
from django.core.exceptions import ValidationError

from oneplan.plans.models import Link, Plan
from oneplan.testing.factories import ElementFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_period_end_before_start_is_refused_naming_the_field():
    plan = PlanFactory.build(start_year=2570, end_year=2566)
    with pytest.raises(ValidationError) as exc:
        plan.clean()
    assert "end_year" in exc.value.message_dict
    assert "ปีสิ้นสุด" in exc.value.message_dict["end_year"][0]


def test_gregorian_year_is_refused_with_be_hint():
    plan = PlanFactory.build(start_year=2024, end_year=2028)
    with pytest.raises(ValidationError) as exc:
        plan.clean()
    assert "2567" in exc.value.message_dict["start_year"][0]


def test_duplicate_element_code_is_refused():
    first = ElementFactory(code="1")
    duplicate = ElementFactory.build(plan=first.plan, code="1")
    with pytest.raises(ValidationError) as exc:
        duplicate.clean()
    assert "ซ้ำ" in exc.value.message_dict["code"][0]


def test_empty_code_is_refused():
    element = ElementFactory.build(code="  ")
    with pytest.raises(ValidationError) as exc:
        element.clean()
    assert "code" in exc.value.message_dict


def test_link_to_same_plan_is_refused():
    a = ElementFactory(code="1")
    b = ElementFactory(plan=a.plan, code="2")
    with pytest.raises(ValidationError) as exc:
        Link(source=a, target=b).clean()
    assert "แผนเดียวกัน" in str(exc.value)


def test_link_pointing_downward_is_refused():
    provincial = ElementFactory(plan=PlanFactory(kind="provincial"), code="1")
    local = ElementFactory(plan=PlanFactory(kind="lao_local"), code="1")
    Link(source=local, target=provincial).clean()  # upward: fine
    with pytest.raises(ValidationError) as exc:
        Link(source=provincial, target=local).clean()
    assert "สูงกว่า" in str(exc.value)


def test_element_cannot_move_under_its_own_child():
    parent = ElementFactory(code="1")
    child = ElementFactory(plan=parent.plan, parent=parent, code="1.1")
    parent.parent = child
    with pytest.raises(ValidationError) as exc:
        parent.clean()
    assert "parent" in exc.value.message_dict


def test_edition_labels_read_as_in_announcements():
    plan = Plan(edition_type="review", edition_number=2, edition_year=2565)
    assert plan.edition_label == "ทบทวน ครั้งที่ 2/2565"
    assert Plan(edition_type="addition", edition_number=3).edition_label == "เพิ่มเติม (ฉบับที่ 3)"
    assert Plan(edition_type="first").edition_label == "ฉบับแรก"


def test_thai_title_kept_as_written_with_normalised_form_beside():
    element = ElementFactory(title_th="ก่อสร้างถนน  คสล. หมู่ที่ ๓")
    element.refresh_from_db()
    assert element.title_th == "ก่อสร้างถนน  คสล. หมู่ที่ ๓"
    assert element.title_normalised == "ก่อสร้างถนน คสล. หมู่ที่ 3"
