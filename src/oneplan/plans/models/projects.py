from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .guard import GuardedManager


class ProjectCategory(models.TextChoices):
    """Which list of the plan a project is filed in: the ผ.02 development projects, or the ผ.03 list
    of equipment and durable goods (ครุภัณฑ์)."""
    DEVELOPMENT = "", _("Development project (ผ.02)")
    EQUIPMENT = "equipment", _("Equipment / durable goods (ผ.03)")


class Project(models.Model):
    """โครงการ: the ผ.02 columns of a project element."""

    plan_path = "element__plan_id"
    objects = GuardedManager()

    element = models.OneToOneField("plans.Element", on_delete=models.CASCADE, primary_key=True,
                                   related_name="project")
    objective = models.TextField(_("objective"), blank=True)
    output_target = models.TextField(_("target (project output)"), blank=True)
    kpi_text = models.TextField(_("KPI"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=300, blank=True)
    location = models.CharField(_("location"), max_length=300, blank=True)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL,
                             verbose_name=_("area"))
    category = models.CharField(_("kind of project"), max_length=20, choices=ProjectCategory.choices,
                                blank=True, default=ProjectCategory.DEVELOPMENT)

    def __str__(self):
        return self.element.title_th


class BudgetSource(models.TextChoices):
    FUNCTION = "function", _("Function budget (ministries)")
    AGENDA = "agenda", _("Agenda budget (integrated plans)")
    PROVINCE = "province", _("Provincial budget")
    CLUSTER = "cluster", _("Province-cluster budget")
    LAO_OWN = "lao_own", _("LAO own budget")
    LAO_SUBSIDY = "lao_subsidy", _("LAO subsidy")
    PAO = "pao", _("PAO budget")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE = "private", _("Private sector")
    FUND = "fund", _("Fund")
    COMMUNITY = "community", _("Community co-funding")
    OTHER = "other", _("Other")


class BudgetStage(models.TextChoices):
    PLAN = "plan", _("Plan estimate")
    REQUEST = "request", _("Budget request")
    ORDINANCE = "ordinance", _("Budget ordinance / act")
    ALLOCATED = "allocated", _("Allocated")
    DISBURSED = "disbursed", _("Disbursed")


class BudgetLine(models.Model):
    plan_path = "project__element__plan_id"
    objects = GuardedManager()

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=15, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    source = models.CharField(_("source"), max_length=20, choices=BudgetSource.choices,
                              default=BudgetSource.LAO_OWN)
    stage = models.CharField(_("stage"), max_length=20, choices=BudgetStage.choices, default=BudgetStage.PLAN)
    within_ceiling = models.BooleanField(_("within the ceiling"), null=True, blank=True)

    class Meta:
        ordering = ["fiscal_year", "source"]
        constraints = [models.UniqueConstraint(fields=["project", "fiscal_year", "source", "stage"],
                                               name="budget_line_unique")]
