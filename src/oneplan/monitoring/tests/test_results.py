from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oneplan.monitoring import results, services
from oneplan.monitoring.models import ElementWeight, KPIResult, ProjectProgress

D = Decimal


@pytest.mark.parametrize(("direction", "baseline", "target", "value", "expected"), [
    ("increase", "50", "70", "70", "1"),         # reached
    ("increase", "50", "70", "60", "0.5"),       # half way from the baseline
    ("increase", "50", "70", "90", "1"),         # over-achievement capped
    ("increase", None, "80", "60", "0.75"),      # no baseline: value / target
    ("decrease", "30", "20", "25", "0.5"),
    ("decrease", "30", "20", "35", "0"),         # worse than the baseline
    ("decrease", None, "20", "25", "0.8"),
    ("maintain", None, "100", "95", "0.95"),
])
def test_kpi_achievement(direction, baseline, target, value, expected):
    got = results.kpi_achievement(direction, baseline and D(baseline), D(target), D(value))
    assert got == D(expected)


def test_no_target_no_score():
    assert results.kpi_achievement("increase", D(1), None, D(5)) is None


@pytest.mark.parametrize(("score", "status"), [("0.95", "on_track"), ("0.90", "on_track"), ("0.89", "at_risk"),
                                               ("0.70", "at_risk"), ("0.69", "off_track"), (None, None)])
def test_status_thresholds(score, status):
    assert results.status_of(score and D(score)) == status


def _approve_all(round_, editor, approver, kpis=None, progress=None):
    services.save_entries(round_, editor, kpis or {}, progress or {})
    services.approve(round_, approver, services.pending(round_))


def test_rollup_weighted_through_the_tree(plan, tree, round_, editor, approver):
    # k1: 50 → target 70, value 70 → 1.0 ; k2: 30 → 20, value 25 → 0.5
    # p1 at 50 % in round 2 of 2 (expects 100 %) → 0.5 ; p2 at 100 % → 1.0
    _approve_all(round_, editor, approver, {tree["k1"].pk: D(70), tree["k2"].pk: D(25)},
                 {tree["p1"].pk: (D(50), D(0)), tree["p2"].pk: (D(100), D(500000))})
    ElementWeight.objects.create(element=tree["k1"].element, weight=D(3))
    nodes = {n.element.pk: n for n, _d in results.flatten(results.plan_rollup(plan, round_))}
    assert nodes[tree["objective"].pk].score == D("0.875")      # (3×1 + 1×0.5) / 4
    assert nodes[tree["objective"].pk].status == "at_risk"
    assert nodes[tree["strategy"].pk].score == D("0.75")
    assert nodes[tree["issue"].pk].score == (D("0.875") + D("0.75")) / 2
    assert nodes[tree["k1"].element.pk].status == "on_track"
    assert nodes[tree["p1"].element.pk].status == "off_track"


def test_unapproved_values_do_not_score(plan, tree, round_, editor):
    services.save_entries(round_, editor, {tree["k1"].pk: D(70)}, {})
    nodes = {n.element.pk: n for n, _d in results.flatten(results.plan_rollup(plan, round_))}
    assert nodes[tree["k1"].element.pk].value is not None
    assert nodes[tree["k1"].element.pk].score is None
    assert nodes[tree["issue"].pk].status is None


def test_maker_cannot_approve_own_entry(tree, round_, editor, approver):
    services.save_entries(round_, editor, {tree["k1"].pk: D(70)}, {})
    entry = KPIResult.objects.get(round=round_)
    with pytest.raises(ValidationError) as exc:
        services.approve(round_, editor, [entry])
    assert "ตนเองบันทึก" in str(exc.value)
    entry.refresh_from_db()
    assert entry.approved_by is None
    services.approve(round_, approver, [entry])
    entry.refresh_from_db()
    assert entry.approved_by == approver


def test_database_refuses_self_approval(tree, round_, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIResult.objects.create(round=round_, kpi=tree["k1"], value=D(1), submitted_by=editor, approved_by=editor)


def test_changed_value_needs_approval_again(tree, round_, editor, approver):
    _approve_all(round_, editor, approver, {tree["k1"].pk: D(70)})
    services.save_entries(round_, approver, {tree["k1"].pk: D(65)}, {})
    entry = KPIResult.objects.get(round=round_)
    assert entry.value == D(65) and entry.approved_by is None and entry.submitted_by == approver


def test_closed_round_is_locked(tree, round_, editor, approver):
    _approve_all(round_, editor, approver, {tree["k1"].pk: D(70)})
    services.close_round(round_, editor)
    with pytest.raises(ValidationError) as exc:
        services.save_entries(round_, editor, {tree["k1"].pk: D(10)}, {tree["p1"].pk: (D(5), D(0))})
    assert "ปิดแล้ว" in str(exc.value)
    assert KPIResult.objects.get(round=round_).value == D(70)
    assert not ProjectProgress.objects.filter(round=round_).exists()


def test_round_with_pending_entries_cannot_close(tree, round_, editor):
    services.save_entries(round_, editor, {tree["k1"].pk: D(70)}, {})
    with pytest.raises(ValidationError, match="รออนุมัติ 1 รายการ"):
        services.close_round(round_, editor)
