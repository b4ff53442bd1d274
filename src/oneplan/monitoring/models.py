"""Results per reporting round, kept apart from the KPI definitions in `plans` (a KPI's unit,
direction, baseline and yearly targets live on plans.KPI / plans.KPITarget).

Every value is entered by one person and approved by another (maker-checker); a closed round is
locked. Budget lines are plans.BudgetLine: this app adds the pages around them, not a second model.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every 6 months")
    YEARLY = "yearly", _("Yearly")


PERIODS_PER_YEAR = {PeriodType.QUARTERLY: 4, PeriodType.HALF_YEARLY: 2, PeriodType.YEARLY: 1}
PERIOD_NAME_TH = {PeriodType.QUARTERLY: "ไตรมาสที่", PeriodType.HALF_YEARLY: "รอบ 6 เดือนที่",
                  PeriodType.YEARLY: "รอบปี"}


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for entries")
    CLOSED = "closed", _("Closed (locked)")


class ReportingRound(models.Model):
    """รอบการติดตามและประเมินผล: one period of one plan's fiscal year."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reporting_rounds",
                             verbose_name=_("plan"))
    period_type = models.CharField(_("period"), max_length=20, choices=PeriodType.choices,
                                   default=PeriodType.HALF_YEARLY)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    number = models.PositiveSmallIntegerField(_("round number"), default=1)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "fiscal_year", "period_type", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "period_type", "fiscal_year", "number"],
                                               name="reporting_round_once")]
        verbose_name = _("reporting round")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.period_type == PeriodType.YEARLY:
            return f"ปีงบประมาณ {self.fiscal_year}"
        return f"{PERIOD_NAME_TH[self.period_type]} {self.number} ปีงบประมาณ {self.fiscal_year}"

    @property
    def is_locked(self) -> bool:
        return self.status == RoundStatus.CLOSED

    @property
    def share_of_year(self):
        """Part of the fiscal year elapsed at the end of this round (expected project progress)."""
        from decimal import Decimal

        return Decimal(self.number) / Decimal(PERIODS_PER_YEAR[self.period_type])

    def clean(self):
        errors = {}
        periods = PERIODS_PER_YEAR.get(self.period_type, 1)
        if self.number and not 1 <= self.number <= periods:
            errors["number"] = f"ลำดับรอบ: รอบแบบ “{self.get_period_type_display()}” มีได้ 1–{periods} รอบต่อปี"
        if self.plan_id and self.fiscal_year and not self.plan.start_year <= self.fiscal_year <= self.plan.end_year:
            errors["fiscal_year"] = (f"ปีงบประมาณ: {self.fiscal_year} อยู่นอกช่วงของแผน "
                                     f"({self.plan.start_year}–{self.plan.end_year})")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "วันสิ้นสุด: ต้องไม่ก่อนวันเริ่มต้น"
        if errors:
            raise ValidationError(errors)


class Entry(models.Model):
    """A value entered in a round by one user and approved by another."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="%(class)s_set",
                              verbose_name=_("reporting round"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("entered by"))
    submitted_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None

    def clean(self):
        if self.round_id and self.round.is_locked:
            raise ValidationError(f"รอบรายงาน “{self.round.label}” ปิดแล้ว จึงบันทึกหรือแก้ไขผลไม่ได้")
        if self.approved_by_id and self.approved_by_id == self.submitted_by_id:
            raise ValidationError({"approved_by": "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกข้อมูลคนเดียวกัน"})


def _maker_checker(name):
    # enforced in the database too: no code path may let a person approve their own entry
    return models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("submitted_by")),
                                  name=name)


class KPIResult(Entry):
    """ผลการดำเนินงานตามตัวชี้วัด in one round."""

    kpi = models.ForeignKey("plans.KPI", on_delete=models.CASCADE, related_name="results",
                            verbose_name=_("KPI"))
    value = models.DecimalField(_("result"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["round", "kpi"]
        constraints = [models.UniqueConstraint(fields=["round", "kpi"], name="kpi_result_once_per_round"),
                       _maker_checker("kpi_result_maker_checker")]
        verbose_name = _("KPI result")


class ProjectProgress(Entry):
    """ความก้าวหน้าโครงการ in one round: physical progress and the amount disbursed so far."""

    project = models.ForeignKey("plans.Project", on_delete=models.CASCADE, related_name="progress",
                                verbose_name=_("project"))
    physical_percent = models.DecimalField(_("physical progress (%)"), max_digits=5, decimal_places=2,
                                           validators=[MinValueValidator(0), MaxValueValidator(100)])
    disbursed_amount = models.DecimalField(_("disbursed (baht)"), max_digits=15, decimal_places=2, default=0,
                                           validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["round", "project"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="project_progress_once_per_round"),
            models.CheckConstraint(condition=Q(physical_percent__gte=0) & Q(physical_percent__lte=100),
                                   name="project_progress_percent_range"),
            models.CheckConstraint(condition=Q(disbursed_amount__gte=0), name="project_progress_disbursed_positive"),
            _maker_checker("project_progress_maker_checker")]
        verbose_name = _("project progress")


class ElementWeight(models.Model):
    """น้ำหนัก of an element in the roll-up of its parent; elements without one weigh 1 (equal)."""

    element = models.OneToOneField("plans.Element", on_delete=models.CASCADE, primary_key=True,
                                   related_name="rollup_weight")
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2,
                                 validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(weight__gte=0), name="element_weight_not_negative")]
