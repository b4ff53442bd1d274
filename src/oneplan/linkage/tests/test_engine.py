import time

import pytest

from oneplan.governance.locks import allow_published_changes
from oneplan.linkage import engine
from oneplan.linkage.engine import UnknownFramework, engine_for, framework_plan, suggest
from oneplan.linkage.models import RejectedSuggestion
from oneplan.linkage.rerank import Reranker
from oneplan.linkage.targets import sections_for

from .conftest import master_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, code", [
    ("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 3 บ้านนาดี", "07"),
    ("โครงการป้องกันและแก้ไขปัญหายาเสพติดในชุมชน", "01"),
    ("โครงการส่งเสริมการท่องเที่ยวชุมชนและโฮมสเตย์", "05"),
    ("โครงการขุดลอกคลองและสร้างฝายชะลอน้ำ", "19"),
    ("โครงการคัดแยกขยะมูลฝอยในครัวเรือน", "18"),
])
def test_clear_project_titles_find_their_master_plan(text, code):
    best = suggest(text, "master-plans", top=3)[0]
    assert best.code == code
    assert not best.low_confidence
    assert 0 < best.score <= 1


def test_reason_names_the_matched_thai_words():
    best = suggest("โครงการป้องกันและแก้ไขปัญหายาเสพติดในชุมชน")[0]
    assert "ยาเสพติด" in best.reason
    assert all(word in best.reason for word in best.matched)


@pytest.mark.parametrize("text", ["hello world project management", "asdf qwer zxcv", "12345", "ก ข ค"])
def test_nonsense_and_english_only_are_marked_low_confidence(text):
    suggestions = suggest(text, top=3)
    assert suggestions and all(s.low_confidence for s in suggestions)


def test_thai_digits_read_like_arabic_digits():
    thai = suggest("โครงการก่อสร้างถนน คสล. หมู่ที่ ๕")
    arabic = suggest("โครงการก่อสร้างถนน คสล. หมู่ที่ 5")
    assert [s.code for s in thai] == [s.code for s in arabic]


def test_empty_text_gets_no_suggestion():
    assert suggest("") == []
    assert suggest("   ") == []


def test_very_long_text_is_cut_not_choked_on():
    started = time.perf_counter()
    result = suggest("โครงการป้องกันและแก้ไขปัญหายาเสพติด " * 5000)
    assert result[0].code == "01"
    assert time.perf_counter() - started < 30  # a guard against hanging, not a benchmark


def test_unknown_framework_lists_the_valid_codes():
    with pytest.raises(UnknownFramework) as exc:
        suggest("ถนน", framework="master-plan")
    assert "master-plans" in str(exc.value) and "sdg" in str(exc.value)


def test_depth_gives_sub_plan_and_target_codes():
    sub = suggest("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก", depth="sub_plan")[0]
    target = suggest("โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก", depth="target")[0]
    assert len(sub.code) == 4 and sub.code.startswith("07")
    assert len(target.code) == 6 and target.code.startswith("07")


def test_framework_with_fewer_levels_uses_its_deepest():
    best = suggest("ลดอัตราการตายของมารดาและทารกแรกเกิด", framework="sdg", depth="target")[0]
    assert best.code.startswith("3.")


@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def test_index_is_cached_and_rebuilt_when_the_framework_changes():
    plan = framework_plan("master-plans")
    first = engine_for(plan)
    assert engine_for(plan) is first
    element = master_plan("14")
    element.description_th += " ฟุตบอลหญิงชายหาด"
    element.save()
    rebuilt = engine_for(plan)
    assert rebuilt is not first
    assert suggest("ฟุตบอลหญิงชายหาด")[0].code == "14"


def test_rejected_suggestions_are_not_suggested_again(unlinked_project):
    def master_plan_codes():
        section = next(s for s in sections_for(unlinked_project) if s.plan.framework == "master-plans")
        return [s.element_id for s in section.suggestions]

    best = master_plan_codes()[0]
    RejectedSuggestion.objects.create(source=unlinked_project, target_id=best)
    assert best not in master_plan_codes()


def test_reranker_learns_from_confirmed_links():
    texts = ["แมวดำ", "แมวขาว", "แมวส้ม", "หมาดำ", "หมาขาว", "หมาส้ม"]
    model = Reranker.train(texts, [0, 0, 0, 2, 2, 2], n_candidates=3)
    p = model.proba(["แมวเทา", "หมาเทา"])
    assert p[0].argmax() == 0 and p[1].argmax() == 2
    assert p[0, 1] == 0  # nobody ever linked to candidate 1


def test_reranker_is_off_below_the_threshold():
    assert engine.MIN_LINKS >= 30
    assert Reranker.train(["ก", "ข"], [1, 1], 3) is None


def test_the_plans_own_place_names_are_not_evidence_for_a_link(db):
    """A road project of เทศบาลตำบลเชิงทะเล: "เชิงทะเล" (literally "by the sea") must not pull it towards
    the marine economy, nor "ภูเก็ต" towards whatever mentions the province."""
    from oneplan.areas.models import Area
    from oneplan.linkage.engine import evidence_text, own_place_names
    from oneplan.linkage.targets import sections_for
    from oneplan.testing.factories import ElementFactory, OrganisationFactory, PlanFactory

    area = Area.objects.filter(kind="subdistrict", name_th="เชิงทะเล").first()
    owner = OrganisationFactory(kind="subdistrict_municipality", name_th="เทศบาลตำบลเชิงทะเล (ทดสอบ)", area=area)
    plan = PlanFactory(owner=owner, area=area)
    road = ElementFactory(plan=plan, kind="project", code="1",
                          title_th="โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยเชิงทะเล 5 ตำบลเชิงทะเล จังหวัดภูเก็ต")
    names = own_place_names(plan)
    assert {"เชิงทะเล", "ถลาง", "ภูเก็ต"} <= set(names)
    text = evidence_text(road)
    assert "ถนนคอนกรีต" in text and not any(n in text for n in ("เชิงทะเล", "ภูเก็ต"))
    reasons = [w for section in sections_for(road) for s in section.suggestions for w in s.matched]
    assert reasons and not any("ทะเล" in w or "ภูเก็ต" in w for w in reasons), reasons
