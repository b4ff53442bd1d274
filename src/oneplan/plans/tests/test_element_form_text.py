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


def test_a_title_longer_than_a_heading_is_refused_with_the_count():
    from oneplan.plans.models.elements import TITLE_MAX_CHARS

    form = _form(PlanFactory(), code="4", title_th="ก" * 11_400)
    assert not form.is_valid()
    assert "11,400 ตัวอักษร" in form.errors["title_th"][0] and f"{TITLE_MAX_CHARS:,}" in form.errors["title_th"][0]
    assert _form(PlanFactory(), code="4", title_th="ก" * TITLE_MAX_CHARS).is_valid()


def test_an_lao_plan_is_offered_the_plan_side_kinds_and_a_framework_every_kind():
    lao = ElementForm(plan=PlanFactory(kind="lao_local"))
    offered = {v for v, _ in lao.fields["kind"].choices if v}
    assert {"vision", "issue", "strategy", "kpi", "project"} <= offered
    assert not offered & {"master_plan", "sdg_target", "ns_strategy"}
    assert not _form(PlanFactory(kind="lao_local"), code="5", kind="master_plan").is_valid()
    framework = ElementForm(plan=PlanFactory(kind="master_plan", framework="t-fw"))
    assert {"master_plan", "sdg_target"} <= {v for v, _ in framework.fields["kind"].choices}


def test_the_interchange_refuses_a_title_too_long_for_a_heading():
    from oneplan.plans.interchange import clean_data

    data = {"format": "oneplan-plan/1", "plan": {"key": "t-long", "kind": "lao_local", "title_th": "แผน",
                                                 "start_year": 2566, "end_year": 2570},
            "elements": [{"code": "1", "kind": "issue", "title_th": "ข" * 5000}]}
    _clean, problems = clean_data(data)
    assert any("title_th" in p and "5,000 ตัวอักษร" in p for p in problems), problems
