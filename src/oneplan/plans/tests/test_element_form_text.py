"""The element form stores codes without invisible characters, so "1" and "1"+ZWSP cannot both exist,
and refuses titles that only look filled in."""
import pytest

from oneplan.plans.forms import ElementForm
from oneplan.testing.factories import ElementFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _form(plan, **data):
    return ElementForm({"kind": "issue", "title_th": "ประเด็นการพัฒนา", **data}, plan=plan)


def test_code_with_a_zero_width_space_is_the_same_code():
    plan = PlanFactory()
    ElementFactory(plan=plan, code="1")
    form = _form(plan, code="1\u200b")
    assert not form.is_valid() and "ซ้ำ" in form.errors["code"][0]


def test_invisible_characters_are_removed_from_a_new_code():
    form = _form(PlanFactory(), code="\u20602.1\ufeff")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "2.1"


@pytest.mark.parametrize("title", ["\u200b\u200b", " \u2060 ", "\ufeff\u00ad"])
def test_title_of_only_invisible_characters_is_refused(title):
    form = _form(PlanFactory(), code="3", title_th=title)
    assert not form.is_valid() and "อักขระที่มองไม่เห็น" in form.errors["title_th"][0]


def test_code_of_only_invisible_characters_is_refused():
    form = _form(PlanFactory(), code="\u200b")
    assert not form.is_valid() and "กรุณากรอกรหัส" in form.errors["code"][0]
