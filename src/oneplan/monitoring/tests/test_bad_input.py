"""Bad input is refused with a Thai message naming the field, and nothing is saved."""
from decimal import Decimal

import pytest
from django.urls import reverse

from oneplan.monitoring import services
from oneplan.monitoring.models import KPIResult, ProjectProgress, ReportingRound
from oneplan.plans.models import BudgetLine


def _snapshot():
    return (sorted(BudgetLine.objects.values_list("pk", "fiscal_year", "amount", "stage", "source")),
            sorted(KPIResult.objects.values_list("pk", "value")),
            sorted(ProjectProgress.objects.values_list("pk", "physical_percent", "disbursed_amount")),
            ReportingRound.objects.count())


def _budget_post(rows, existing=()):
    data = {"budget-TOTAL_FORMS": str(len(existing) + len(rows)), "budget-INITIAL_FORMS": str(len(existing)),
            "budget-MIN_NUM_FORMS": "0", "budget-MAX_NUM_FORMS": "1000"}
    for i, line in enumerate(existing):
        data.update({f"budget-{i}-id": line.pk, f"budget-{i}-fiscal_year": line.fiscal_year,
                     f"budget-{i}-amount": str(line.amount), f"budget-{i}-source": line.source,
                     f"budget-{i}-stage": line.stage, f"budget-{i}-within_ceiling": "unknown"})
    for j, (year, amount, stage) in enumerate(rows, start=len(existing)):
        data.update({f"budget-{j}-fiscal_year": year, f"budget-{j}-amount": amount, f"budget-{j}-source": "lao_own",
                     f"budget-{j}-stage": stage, f"budget-{j}-within_ceiling": "true"})
    return data


@pytest.mark.parametrize(("row", "message"), [
    (("2567", "-5,000", "request"), "ติดลบ"),
    (("2567", "9,000,000,000,000", "request"), "สูงผิดปกติ"),
    (("2567", "500000000000", "request"), "สูงผิดปกติ"),
    (("2580", "5,000", "request"), "นอกช่วงของแผน"),
    (("2567", "ห้าพันบาท", "request"), "ไม่ใช่จำนวนเงิน"),
    (("2567", "5,000", "plan"), "ประมาณการตามแผน"),      # plan estimates are locked once the plan is in force
])
def test_bad_budget_line_refused_and_nothing_saved(client, plan, tree, editor, row, message):
    client.force_login(editor)
    before = _snapshot()
    good = ("2568", "๑๒๐,๐๐๐", "request")   # a valid row in the same submission must not be saved either
    response = client.post(reverse("monitoring:project_budget", args=[tree["p1"].pk]), _budget_post([good, row]))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "แถวที่ 2" in text
    assert _snapshot() == before


def test_good_budget_lines_saved_exactly(client, plan, tree, editor):
    client.force_login(editor)
    response = client.post(reverse("monitoring:project_budget", args=[tree["p1"].pk]),
                           _budget_post([("๒๕๖๘", "1,234,567.89", "request"), ("2568", "๑๐๐", "disbursed")]))
    assert response.status_code == 302
    lines = BudgetLine.objects.filter(project=tree["p1"], fiscal_year=2568)
    assert {(b.stage, b.amount, b.within_ceiling) for b in lines} == {
        ("request", Decimal("1234567.89"), True), ("disbursed", Decimal("100.00"), True)}


def _entry_post(tree, **over):
    data = {f"kpi_{tree['k1'].pk}": "65", f"kpi_{tree['k2'].pk}": "25",
            f"phys_{tree['p1'].pk}": "50", f"disb_{tree['p1'].pk}": "400,000"}
    data.update(over)
    return data


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kpi_k1", "ประมาณหกสิบ", "ไม่ใช่ตัวเลข"),
    ("phys_p1", "120", "ต้องอยู่ระหว่าง 0 ถึง 100"),
    ("phys_p1", "-1", "ต้องอยู่ระหว่าง 0 ถึง 100"),
    ("disb_p1", "-10", "ติดลบ"),
    ("disb_p1", "5,000,000", "มากกว่างบประมาณ"),
])
def test_bad_result_refused_and_nothing_saved(client, tree, round_, editor, field, value, message):
    client.force_login(editor)
    kind, key = field.split("_")
    name = f"{kind}_{tree[key].pk}"
    before = _snapshot()
    response = client.post(reverse("monitoring:round", args=[round_.pk]), _entry_post(tree, **{name: value}))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    # the message names the KPI / project at fault
    title = tree[key].element.title_th
    assert f"“{title}”: " in text
    assert _snapshot() == before


def test_value_for_a_locked_round_refused(client, tree, round_, editor, approver):
    services.save_entries(round_, editor, {tree["k1"].pk: Decimal(70)}, {})
    services.approve(round_, approver, services.pending(round_))
    services.close_round(round_, editor)
    client.force_login(editor)
    before = _snapshot()
    response = client.post(reverse("monitoring:round", args=[round_.pk]), _entry_post(tree), follow=True)
    assert "ปิดแล้ว" in response.content.decode()
    assert _snapshot() == before


def test_round_outside_the_plan_refused(client, plan, editor):
    client.force_login(editor)
    response = client.post(reverse("monitoring:round_create", args=[plan.pk]),
                           {"period_type": "quarterly", "fiscal_year": "2580", "number": "1"}, follow=True)
    assert "ปีงบประมาณ: 2580 อยู่นอกช่วงของแผน" in response.content.decode()
    response = client.post(reverse("monitoring:round_create", args=[plan.pk]),
                           {"period_type": "half_yearly", "fiscal_year": "2567", "number": "3"}, follow=True)
    assert "มีได้ 1–2 รอบต่อปี" in response.content.decode()
    assert not ReportingRound.objects.filter(plan=plan).exists()


def test_good_entries_saved_then_approved_by_someone_else(client, tree, round_, editor, approver):
    client.force_login(editor)
    response = client.post(reverse("monitoring:round", args=[round_.pk]), _entry_post(tree))
    assert response.status_code == 302
    progress = ProjectProgress.objects.get(round=round_, project=tree["p1"])
    assert progress.physical_percent == Decimal(50) and progress.disbursed_amount == Decimal(400000)
    entries = [f"kpi-{r.pk}" for r in KPIResult.objects.filter(round=round_)] + [f"proj-{progress.pk}"]
    response = client.post(reverse("monitoring:round_approve", args=[round_.pk]), {"entry": entries}, follow=True)
    assert "ตนเองบันทึก" in response.content.decode()
    assert not KPIResult.objects.filter(round=round_, approved_by__isnull=False).exists()
    client.force_login(approver)
    client.post(reverse("monitoring:round_approve", args=[round_.pk]), {"entry": entries})
    assert KPIResult.objects.filter(round=round_, approved_by=approver).count() == 2
    assert ProjectProgress.objects.get(pk=progress.pk).approved_by == approver
