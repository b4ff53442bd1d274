from decimal import Decimal

from oneplan.governance.locks import allow_published_changes
from oneplan.monitoring import quality
from oneplan.plans.models import KPITarget
from oneplan.testing.factories import ElementFactory

from .conftest import make_kpi


def codes(check):
    return {f.code for f in check.findings}


def test_a_complete_kpi_passes(plan, tree):
    assert quality.check_kpi(tree["k1"], plan).ok


def test_missing_unit_baseline_year_and_source_are_each_reported(plan):
    kpi = make_kpi(plan, None, "อัตราการเกิดอุบัติเหตุ", baseline=None, unit="", baseline_year=None, data_source="")
    assert codes(quality.check_kpi(kpi, plan)) == {"missing_unit", "missing_baseline", "missing_baseline_year",
                                                   "missing_source"}


def test_target_moving_against_the_direction(plan):
    rising = make_kpi(plan, None, "รายได้ครัวเรือนเฉลี่ย", baseline="100", targets={2566: "110", 2567: "105"})
    check = quality.check_kpi(rising, plan)
    assert "against_direction" in codes(check)
    assert "2567" in next(f.message for f in check.findings if f.code == "against_direction")
    falling_ok = make_kpi(plan, None, "อัตราการตายทารก", direction="decrease", baseline="10",
                          targets={2566: "9", 2567: "8"})
    assert "against_direction" not in codes(quality.check_kpi(falling_ok, plan))
    falling_bad = make_kpi(plan, None, "จำนวนผู้ป่วยไข้เลือดออก", direction="decrease", baseline="10",
                           targets={2566: "12"})
    assert "against_direction" in codes(quality.check_kpi(falling_bad, plan))


def test_targets_outside_the_plan_period(plan):
    kpi = make_kpi(plan, None, "ร้อยละของถนนที่ได้มาตรฐาน", targets={2566: "60", 2575: "90"})
    check = quality.check_kpi(kpi, plan)
    assert "outside_period" in codes(check)
    assert "2575" in next(f.message for f in check.findings if f.code == "outside_period")


def test_vague_wording_needs_a_scale_in_the_definition(plan):
    vague = make_kpi(plan, None, "ระดับความสำเร็จของการพัฒนาระบบสารสนเทศ")
    assert "vague" in codes(quality.check_kpi(vague, plan))
    scaled = make_kpi(plan, None, "ระดับความสำเร็จของการจัดทำแผนชุมชน",
                      definition="ระดับ 1 แต่งตั้งคณะทำงาน ระดับ 2 จัดเวที … ระดับ 5 ประกาศใช้แผน")
    assert "vague" not in codes(quality.check_kpi(scaled, plan))


def test_outcome_goal_measured_only_by_outputs_and_goal_without_kpi(plan):
    goal = ElementFactory(plan=plan, kind="objective", title_th="ประชาชนมีรายได้เพิ่มขึ้น")
    make_kpi(plan, goal, "จำนวนโครงการส่งเสริมอาชีพ")
    make_kpi(plan, goal, "จำนวนผู้เข้าร่วมอบรม")
    empty = ElementFactory(plan=plan, kind="ultimate_goal", title_th="เมืองน่าอยู่")
    report = quality.plan_quality(plan)
    by_element = {g.element.pk: {f.code for f in g.findings} for g in report.goals}
    assert by_element[goal.pk] == {"output_only"}
    assert by_element[empty.pk] == {"goal_without_kpi"}
    counts = {c: n for c, _label, n in report.counts}
    assert counts["output_only"] == 1 and counts["goal_without_kpi"] == 1


def test_outcome_kpi_beside_output_kpi_is_fine(plan):
    goal = ElementFactory(plan=plan, kind="objective", title_th="ประชาชนมีรายได้เพิ่มขึ้น")
    make_kpi(plan, goal, "จำนวนครั้งของการจัดอบรม")
    make_kpi(plan, goal, "รายได้เฉลี่ยต่อครัวเรือน")
    goal_check = quality.goal_check(goal)
    assert goal_check.findings == []


@allow_published_changes()  # set-up of plans already in force, as the operator loads them
def test_plan_report_counts_every_finding(plan, tree):
    KPITarget.objects.create(kpi=tree["k1"], year=2580, value=Decimal(99))
    report = quality.plan_quality(plan)
    counts = {c: n for c, _label, n in report.counts}
    assert counts["outside_period"] == 1
    assert report.total == sum(len(c.findings) for c in [*report.kpis, *report.goals])


def test_demo_provincial_plan_has_a_report(phuket_plan):
    report = quality.plan_quality(phuket_plan)
    assert len(report.kpis) >= 10
    # the GPP growth target (5.0) below its baseline (5.2) is a real finding in the demo data
    assert any(f.code == "against_direction" for c in report.kpis for f in c.findings)
