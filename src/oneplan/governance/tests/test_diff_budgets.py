"""The edition diff counts budget changes of removed and added projects, per year and in total."""
import pytest
from django.urls import reverse

from oneplan.governance.diff import diff_plans, summary
from oneplan.testing.factories import UserFactory

from .test_editions import _edition, _el

pytestmark = pytest.mark.django_db


def _budgets(*pairs):
    return {"budgets": [{"year": y, "amount": a, "source": "lao_own", "stage": "plan"} for y, a in pairs]}


@pytest.fixture
def editions():
    old = _edition("t-diffb-old", [
        _el("1", "โครงสร้างพื้นฐาน"),
        _el("1.1", "ก่อสร้างสะพานข้ามคลอง", "1", "project", project=_budgets((2567, "50000000"), (2568, "1000000"))),
        _el("1.2", "ซ่อมถนนลูกรัง", "1", "project", project=_budgets((2567, "200000")))])
    new = _edition("t-diffb-new", [
        _el("1", "โครงสร้างพื้นฐาน"),
        _el("1.2", "ซ่อมถนนลูกรัง", "1", "project", project=_budgets((2567, "200000"))),
        _el("1.3", "ติดตั้งไฟส่องสว่าง", "1", "project", project=_budgets((2569, "300000")))],
        supersedes="t-diffb-old")
    return old, new


def test_removed_and_added_projects_change_the_budget(editions):
    changes = diff_plans(*editions)
    budgets = {c.code: c.details for c in changes if c.kind == "budgets"}
    assert summary(changes)["budgets"] == 3                   # 1.1 removed, 1.3 added, the plan's total
    assert [line.split(":")[0][:8] for line in budgets["1.1"]] == ["ปี 2567 ", "ปี 2568 "]
    assert all(line.endswith("→ 0 บาท") for line in budgets["1.1"])
    assert any("0 → 300,000 บาท" in line for line in budgets["1.3"])
    total = budgets["รวมทั้งแผน"]
    assert "ปี 2567: 50,200,000 → 200,000 บาท (−50,000,000)" in total
    assert "ปี 2569: 0 → 300,000 บาท (+300,000)" in total
    assert total[-1] == "รวมทุกปี: 51,200,000 → 500,000 บาท (−50,700,000)"


def test_same_budgets_report_no_budget_change(editions):
    old, _new = editions
    assert summary(diff_plans(old, old))["budgets"] == 0


def test_diff_page_shows_the_budget_change(client, editions):
    old, new = editions
    client.force_login(UserFactory(username="t-diffb-admin", is_superuser=True, is_staff=True))
    page = client.get(reverse("governance:diff", args=[new.pk]), {"against": old.pk}).content.decode()
    assert "รวมทุกปี: 51,200,000 → 500,000 บาท" in page


def test_a_rewording_marks_the_changed_words_not_the_whole_title():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from oneplan.governance.diff import word_diff

    old = "มั่งเน้นการพัฒนาการท่องเที่ยวเชิงสุขภาพภายในปี 2579"
    new = "มุ่งเน้นการพัฒนาการท่องเที่ยวเชิงสุขภาพภายในปี 2580"
    before, after = word_diff(old, new)
    assert "".join(t for t, _ in before) == old and "".join(t for t, _ in after) == new
    changed_old = "".join(t for t, c in before if c)
    changed_new = "".join(t for t, c in after if c)
    assert "2579" in changed_old and "2580" in changed_new and "มุ่ง" in changed_new
    assert "การท่องเที่ยว" not in changed_new and len(changed_new) < len(new) / 2

    @settings(max_examples=40, deadline=None)
    @given(st.text(alphabet="กขคงมุ่ั่งเน้นการ 0123456789", max_size=40),
           st.text(alphabet="กขคงมุ่ั่งเน้นการ 0123456789", max_size=40))
    def runs_rebuild_both_texts(a, b):
        x, y = word_diff(a, b)
        assert "".join(t for t, _ in x) == a and "".join(t for t, _ in y) == b

    runs_rebuild_both_texts()
