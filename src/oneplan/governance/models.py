"""Governance records: each workflow step a plan takes, the yearly calendar of deadlines, and the
audit trail of every change and every refused action."""
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from oneplan.plans.models import PlanKind, PlanStatus

DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png"]


class Transition(models.Model):
    """One step of a plan through its approval chain (who, when, which body, which meeting)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="transitions",
                             verbose_name=_("plan"))
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from state"), max_length=40)
    to_state = models.CharField(_("to state"), max_length=40)
    from_status = models.CharField(_("from status"), max_length=20, choices=PlanStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=PlanStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="plan_transitions", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    committee = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="plan_transitions",
                                  verbose_name=_("committee"))
    meeting_number = models.CharField(_("meeting number (n/B.E. year)"), max_length=30, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    document = models.FileField(_("document"), upload_to="governance/transitions/%Y/", blank=True,
                                validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)])

    class Meta:
        ordering = ["plan", "at", "id"]
        indexes = [models.Index(fields=["plan", "-at"])]
        verbose_name = _("workflow step")

    def __str__(self):
        return f"{self.plan} · {self.action} · {self.at:%Y-%m-%d}"


class CalendarDeadline(models.Model):
    """ปฏิทินการจัดทำแผน: when a step of a plan kind is due in a fiscal year (set by ก.น.บ. / the ministry)."""

    plan_kind = models.CharField(_("plan kind"), max_length=30, choices=PlanKind.choices)
    step = models.CharField(_("workflow state"), max_length=40,
                            help_text=_("The state a plan must leave by the due date, e.g. kbj"))
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    due_date = models.DateField(_("due date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["fiscal_year", "due_date"]
        constraints = [models.UniqueConstraint(fields=["plan_kind", "step", "fiscal_year"],
                                               name="deadline_once_per_step_and_year")]
        verbose_name = _("calendar deadline")

    def __str__(self):
        return f"{self.get_plan_kind_display()} · {self.get_step_display()} · {self.due_date}"

    def get_step_display(self):
        """The workflow state's Thai label (the code, e.g. kbj, means nothing to a reader)."""
        from .workflow import step_labels  # workflow imports plans models: import late

        return dict(step_labels()).get(self.step, self.step)


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Workflow step")
    EDITION = "edition", _("New edition")
    REFUSED = "refused", _("Refused")


class AuditEntry(models.Model):
    """One change (or refused attempt): who, when, which object, the field values before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="audit_entries", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=60, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    # No database constraint: the trail outlives the plan it describes.
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", verbose_name=_("plan"))
    changes = models.JSONField(_("changes"), default=dict, blank=True,
                               help_text="{field: [before, after]}")
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["plan", "-at"]), models.Index(fields=["user", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_repr}"
