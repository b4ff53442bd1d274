"""Forms: reporting rounds, the page of values for one round, roll-up weights, budget lines.
Errors are in Thai and name the field and the KPI / project / row they belong to."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oneplan.core.forms import AmountField, BEYearField, ThaiDecimalField
from oneplan.core.thai import fiscal_year_bounds
from oneplan.plans.forms import BudgetLineForm
from oneplan.plans.models import BudgetLine, BudgetStage, Project
from oneplan.plans.models.plans import EDITABLE_STATUSES

from .models import PERIODS_PER_YEAR, ReportingRound
from .report import year_budget

# One budget line above this is a typing slip (an extra zero or two), not a project.
MAX_LINE_AMOUNT = Decimal("100000000000")  # 1 แสนล้านบาท


class RoundForm(forms.ModelForm):
    fiscal_year = BEYearField(label=_("fiscal year (B.E.)"))

    class Meta:
        model = ReportingRound
        fields = ["period_type", "fiscal_year", "number"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan

    def clean(self):
        data = super().clean()
        period, year, number = data.get("period_type"), data.get("fiscal_year"), data.get("number")
        if period and year and number and 1 <= number <= PERIODS_PER_YEAR[period]:
            self.instance.start_date, self.instance.end_date = period_dates(period, year, number)
        else:  # let the model's clean() name the faulty field
            self.instance.start_date = self.instance.end_date = date(2000, 1, 1)
        return data


def period_dates(period: str, fiscal_year: int, number: int) -> tuple[date, date]:
    """Dates of round `number` of a Thai fiscal year split into equal periods (FY starts 1 Oct)."""
    start, _end = fiscal_year_bounds(fiscal_year)
    months = 12 // PERIODS_PER_YEAR[period]
    first = _add_months(start, months * (number - 1))
    after = _add_months(first, months)
    return first, date.fromordinal(after.toordinal() - 1)


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


class RoundEntryForm(forms.Form):
    """All KPI values and project progress of one round on one page (saved all-or-nothing)."""

    def __init__(self, *args, round_: ReportingRound, kpis, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.round, self.kpis, self.projects = round_, list(kpis), list(projects)
        existing_kpi = {r.kpi_id: r for r in round_.kpiresult_set.all()}
        existing_prog = {p.project_id: p for p in round_.projectprogress_set.all()}
        for kpi in self.kpis:
            title = kpi.element.title_th[:80]
            self.fields[f"kpi_{kpi.pk}"] = ThaiDecimalField(
                label=f"ผลตัวชี้วัด “{title}”", required=False,
                initial=getattr(existing_kpi.get(kpi.pk), "value", None))
        for project in self.projects:
            title, entry = project.element.title_th[:80], existing_prog.get(project.pk)
            self.fields[f"phys_{project.pk}"] = ThaiDecimalField(
                label=f"ความก้าวหน้าทางกายภาพ (ร้อยละ) ของ “{title}”", required=False,
                initial=getattr(entry, "physical_percent", None), max_digits=5, decimal_places=2)
            self.fields[f"disb_{project.pk}"] = AmountField(
                label=f"เบิกจ่ายสะสม (บาท) ของ “{title}”", required=False,
                initial=getattr(entry, "disbursed_amount", None))

    def clean(self):
        data = super().clean()
        budgets = year_budget([p.pk for p in self.projects], self.round.fiscal_year)
        for project in self.projects:
            phys, disb = data.get(f"phys_{project.pk}"), data.get(f"disb_{project.pk}")
            label = self.fields[f"phys_{project.pk}"].label
            if phys is not None and not Decimal(0) <= phys <= Decimal(100):
                self.add_error(f"phys_{project.pk}", f"{label}: ต้องอยู่ระหว่าง 0 ถึง 100 (ได้รับ {phys})")
            if disb is not None and phys is None and f"phys_{project.pk}" not in self.errors:
                self.add_error(f"phys_{project.pk}", f"{label}: กรุณากรอกพร้อมกับยอดเบิกจ่าย")
            budget = budgets.get(project.pk)
            if disb is not None and budget and disb > budget:
                self.add_error(f"disb_{project.pk}", (
                    f"{self.fields[f'disb_{project.pk}'].label}: {disb:,.2f} บาท มากกว่างบประมาณปี "
                    f"{self.round.fiscal_year} ของโครงการ ({budget:,.2f} บาท)"))
        return data

    def kpi_values(self) -> dict[int, Decimal]:
        return {k.pk: self.cleaned_data[f"kpi_{k.pk}"] for k in self.kpis
                if self.cleaned_data.get(f"kpi_{k.pk}") is not None}

    def progress(self) -> dict[int, tuple[Decimal, Decimal]]:
        return {p.pk: (self.cleaned_data[f"phys_{p.pk}"], self.cleaned_data.get(f"disb_{p.pk}") or Decimal(0))
                for p in self.projects if self.cleaned_data.get(f"phys_{p.pk}") is not None}

    def kpi_rows(self):
        return [(k, self[f"kpi_{k.pk}"]) for k in self.kpis]

    def project_rows(self):
        return [(p, self[f"phys_{p.pk}"], self[f"disb_{p.pk}"]) for p in self.projects]


class WeightForm(forms.Form):
    def __init__(self, *args, elements, weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = list(elements)
        for e in self.elements:
            self.fields[f"w_{e.pk}"] = ThaiDecimalField(label=f"น้ำหนักของ “{e.code} {e.title_th[:60]}”",
                                                        required=False, initial=weights.get(e.pk),
                                                        max_digits=7, decimal_places=2)

    def clean(self):
        data = super().clean()
        for e in self.elements:
            w = data.get(f"w_{e.pk}")
            if w is not None and not Decimal(0) <= w <= Decimal(1000):
                self.add_error(f"w_{e.pk}", f"{self.fields[f'w_{e.pk}'].label}: ต้องอยู่ระหว่าง 0 ถึง 1,000")
        return data

    def weights(self) -> dict[int, Decimal | None]:
        return {e.pk: self.cleaned_data.get(f"w_{e.pk}") for e in self.elements}


class StageBudgetLineForm(BudgetLineForm):
    """plans.BudgetLineForm (year within the plan, Thai amounts) plus the monitoring rules: a
    plausible amount, and plan-estimate lines only while the plan itself may be edited."""

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount > MAX_LINE_AMOUNT:
            raise ValidationError(f"{self.fields['amount'].label}: {amount:,.2f} บาท สูงผิดปกติสำหรับโครงการเดียว "
                                  "(เกิน 100,000 ล้านบาท) กรุณาตรวจสอบจำนวนหลัก")
        return amount

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        if stage == BudgetStage.PLAN and self.plan and self.plan.status not in EDITABLE_STATUSES:
            raise ValidationError("ขั้นตอนงบประมาณ: ประมาณการตามแผนแก้ไขได้เฉพาะเมื่อแผนอยู่ระหว่างจัดทำหรือทบทวน "
                                  "(แผนนี้ประกาศใช้แล้ว) ใช้ขั้นคำของบประมาณ ข้อบัญญัติ จัดสรร หรือเบิกจ่ายแทน")
        return stage


class BaseStageFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        qs = super().get_queryset()
        plan = self.form_kwargs.get("plan")
        if plan is not None and plan.status not in EDITABLE_STATUSES:
            qs = qs.exclude(stage=BudgetStage.PLAN)  # shown read-only beside the form
        return qs


StageBudgetFormSet = forms.inlineformset_factory(Project, BudgetLine, form=StageBudgetLineForm,
                                                 formset=BaseStageFormSet, extra=3, can_delete=True)
