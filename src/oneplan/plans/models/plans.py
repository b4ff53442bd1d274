from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oneplan.core.thai import MAX_BE_YEAR, MIN_BE_YEAR, normalise


class PlanKind(models.TextChoices):
    GLOBAL_FRAMEWORK = "global_framework", _("Reference framework (SDGs, Smart City, ASEAN)")
    NATIONAL_STRATEGY = "national_strategy", _("National Strategy")
    MASTER_PLAN = "master_plan", _("Master plans under the National Strategy")
    REFORM_PLAN = "reform_plan", _("National reform plan")
    NESDP = "nesdp", _("National Economic and Social Development Plan")
    REGIONAL = "regional", _("Regional development plan")
    CLUSTER = "cluster", _("Province-cluster development plan")
    AGENCY = "agency", _("Agency action plan")
    PROVINCIAL_GOAL = "provincial_goal", _("Provincial 20-year development goals")
    PROVINCIAL = "provincial", _("Provincial development plan")
    PROVINCIAL_ANNUAL = "provincial_annual", _("Provincial annual action plan")
    LAO_PROVINCE_STRATEGY = "lao_province_strategy", _("LAO development strategy in the province")
    LAO_THEMATIC = "lao_thematic", _("LAO thematic plan")
    LAO_LOCAL = "lao_local", _("Local development plan (5-year)")
    LAO_ANNUAL = "lao_annual", _("LAO annual operation plan")
    COMMUNITY = "community", _("Community / village plan")


# Rank in the one-plan hierarchy: a link must point to a plan of lower rank (higher up).
PLAN_RANK = {
    PlanKind.GLOBAL_FRAMEWORK: 0, PlanKind.NATIONAL_STRATEGY: 10, PlanKind.MASTER_PLAN: 20,
    PlanKind.REFORM_PLAN: 21, PlanKind.NESDP: 22, PlanKind.REGIONAL: 30, PlanKind.CLUSTER: 35,
    PlanKind.AGENCY: 38, PlanKind.PROVINCIAL_GOAL: 40, PlanKind.PROVINCIAL: 45,
    PlanKind.PROVINCIAL_ANNUAL: 47, PlanKind.LAO_PROVINCE_STRATEGY: 50, PlanKind.LAO_THEMATIC: 55,
    PlanKind.LAO_LOCAL: 60, PlanKind.LAO_ANNUAL: 65, PlanKind.COMMUNITY: 70,
}
# The three-level classification of the cabinet resolution of 4 Dec 2560 (0 = outside it).
PLAN_LEVEL = {PlanKind.GLOBAL_FRAMEWORK: 0, PlanKind.NATIONAL_STRATEGY: 1, PlanKind.MASTER_PLAN: 2,
              PlanKind.REFORM_PLAN: 2, PlanKind.NESDP: 2}
LAO_PLAN_KINDS = {PlanKind.LAO_PROVINCE_STRATEGY, PlanKind.LAO_THEMATIC, PlanKind.LAO_LOCAL,
                  PlanKind.LAO_ANNUAL}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    REVISION = "revision", _("Revision")
    SUBMITTED = "submitted", _("Submitted to a committee")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")
    IN_FORCE = "in_force", _("Announced / in force")
    SUPERSEDED = "superseded", _("Superseded")


# Announced editions: in force now, or history. A plan approved by one committee is still on its way
# (ก.น.บ., the cabinet or the executive decide after it), so it is not published.
PUBLISHED_STATUSES = {PlanStatus.IN_FORCE, PlanStatus.SUPERSEDED}
EDITABLE_STATUSES = {PlanStatus.DRAFT, PlanStatus.REVISION, PlanStatus.RETURNED}


class EditionType(models.TextChoices):
    FIRST = "first", _("First edition")            # ฉบับแรก
    REVIEW = "review", _("Review")                 # ทบทวน
    ADDITION = "addition", _("Addition")           # เพิ่มเติม
    CORRECTION = "correction", _("Correction")     # แก้ไข
    CHANGE = "change", _("Change")                 # เปลี่ยนแปลง


EDITION_TH = {"first": "ฉบับแรก", "review": "ทบทวน", "addition": "เพิ่มเติม", "correction": "แก้ไข",
              "change": "เปลี่ยนแปลง"}


FRAMEWORK_SHORT_TH = {"national-strategy": "ยุทธศาสตร์ชาติ", "master-plans": "แผนแม่บท", "nesdp13": "แผนฯ 13",
                      "sdg": "SDG", "smart-city": "เมืองอัจฉริยะ", "asean": "อาเซียน"}


class PlanQuerySet(models.QuerySet):
    def frameworks(self):
        return self.exclude(framework="")

    def published(self):
        return self.filter(status__in=PUBLISHED_STATUSES)

    def in_force(self, on=None):
        """Editions in force on a date (default today): plans.editions holds the rule."""
        from oneplan.plans.editions import in_force_q

        return self.filter(in_force_q(on))


class Plan(models.Model):
    """แผน: any plan at any level. A national framework (National Strategy, master plans, NESDP, SDGs)
    is a plan like any other, so linking, search and reports work the same everywhere."""

    key = models.SlugField(_("key"), max_length=120, unique=True)
    framework = models.CharField(_("framework code"), max_length=40, blank=True, db_index=True,
                                 help_text=_("Set for reference frameworks, e.g. master-plans"))
    kind = models.CharField(_("plan kind"), max_length=30, choices=PlanKind.choices)
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    title_normalised = models.CharField(max_length=500, editable=False, db_index=True)
    description_th = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="plans", verbose_name=_("owner organisation"))
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="plans", verbose_name=_("area"))
    start_year = models.PositiveIntegerField(_("first year (B.E.)"))
    end_year = models.PositiveIntegerField(_("last year (B.E.)"))
    edition_type = models.CharField(_("edition"), max_length=20, choices=EditionType.choices,
                                    default=EditionType.FIRST)
    edition_number = models.PositiveIntegerField(_("edition number"), null=True, blank=True)
    edition_year = models.PositiveIntegerField(_("edition year (B.E.)"), null=True, blank=True)
    edition_reason = models.TextField(_("reason for the edition"), blank=True)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="superseded_by", verbose_name=_("supersedes"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    # Set by the workflow (plans.editions): the day the edition was announced, and the day a newer
    # edition replaced it. "In force on a date" is answered from these two.
    in_force_from = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True, editable=False)
    confirmed = models.BooleanField(_("checked against the official text"), default=True)
    source_note = models.CharField(_("source of the text"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-start_year", "title_th"]
        verbose_name = _("plan")

    def __str__(self):
        return self.title_th

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def rank(self) -> int:
        return PLAN_RANK[self.kind]

    @property
    def level(self) -> int:
        return PLAN_LEVEL.get(self.kind, 3)

    @property
    def short_label(self) -> str:
        """How a link to this plan is labelled beside an element: 'SDG', the plan title, or — for a
        framework with several editions — the edition too: 'แผนแม่บท (2561)' vs 'แผนแม่บท (2566)'."""
        short = FRAMEWORK_SHORT_TH.get(self.framework)
        if not short:
            return self.title_th[:40] + ("…" if len(self.title_th) > 40 else "")
        return f"{short} ({self.start_year})" if self.has_editions else short

    @property
    def has_editions(self) -> bool:
        """A framework loaded in several editions (the registry lists them), or any plan in a line."""
        from oneplan.frameworks.registry import BY_CODE

        several = len(BY_CODE[self.framework].files) > 1 if self.framework in BY_CODE else False
        return several or bool(self.supersedes_id) or self.status == PlanStatus.SUPERSEDED

    @property
    def is_framework(self) -> bool:
        return bool(self.framework)

    @property
    def is_lao_plan(self) -> bool:
        return self.kind in LAO_PLAN_KINDS

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def edition_label(self) -> str:
        """'ทบทวน ครั้งที่ 2/2565', 'เพิ่มเติม (ฉบับที่ 3)', 'ฉบับแรก'."""
        label = EDITION_TH[self.edition_type]
        if self.edition_type == EditionType.FIRST:
            return label
        if self.edition_type in (EditionType.ADDITION, EditionType.CORRECTION):
            label += f" (ฉบับที่ {self.edition_number})" if self.edition_number else ""
            return label + (f" ประจำปี {self.edition_year}" if self.edition_year else "")
        if self.edition_number:
            label += f" ครั้งที่ {self.edition_number}"
            label += f"/{self.edition_year}" if self.edition_year else ""
        return label

    def clean(self):
        errors = {}
        for field in ("start_year", "end_year", "edition_year"):
            value = getattr(self, field)
            if value is not None and not MIN_BE_YEAR <= value <= MAX_BE_YEAR:
                hint = f" (เช่น {value + 543})" if 1900 <= value < MIN_BE_YEAR else ""
                errors[field] = f"ต้องเป็นปี พ.ศ.{hint}"
        if not errors and self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น"
        if self.end_year and self.start_year and self.end_year - self.start_year > 25:
            errors["end_year"] = "ช่วงเวลาของแผนยาวเกิน 25 ปี"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.title_normalised = normalise(self.title_th)[:500]
        fixed = self._date_loaded_edition()
        if fixed and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *fixed}
        super().save(*args, **kwargs)
        if self.supersedes_id and self.in_force_from and self.status in PUBLISHED_STATUSES:
            # the edition this one replaced stopped being in force the day this one started
            Plan.objects.filter(pk=self.supersedes_id, status=PlanStatus.SUPERSEDED).exclude(
                in_force_until=self.in_force_from).update(in_force_until=self.in_force_from)

    def _date_loaded_edition(self) -> list[str]:
        """A plan loaded already announced (reference data, the demo) has no workflow date: it counts
        as in force from the start of its first fiscal year, and a superseded one until its successor."""
        from oneplan.plans.editions import fiscal_year_start

        fixed = []
        if self.status in PUBLISHED_STATUSES and self.in_force_from is None and self.start_year:
            self.in_force_from = fiscal_year_start(self.start_year)
            fixed.append("in_force_from")
        if self.status == PlanStatus.SUPERSEDED and self.in_force_until is None and self.pk:
            nxt = (Plan.objects.filter(supersedes_id=self.pk, in_force_from__isnull=False)
                   .order_by("in_force_from").values_list("in_force_from", flat=True).first())
            self.in_force_until = nxt or fiscal_year_start(self.end_year + 1)
            fixed.append("in_force_until")
        return fixed
