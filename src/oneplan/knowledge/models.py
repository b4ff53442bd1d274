"""Planning knowledge that outlasts the people: guidance per plan kind and workflow step / element
kind (versioned content with an effective date), a library of reusable KPI definitions, and the
capacity-building workshops with their materials and attendance."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.core.thai import format_date, normalise
from oneplan.plans.models import PlanKind
from oneplan.plans.models.elements import KPIDirection, KPIFrequency

MATERIAL_EXTENSIONS = ["pdf", "ppt", "pptx", "doc", "docx", "xls", "xlsx", "odt", "odp", "jpg", "png"]


class GuidanceTopic(models.TextChoices):
    STEP = "step", _("Workflow step")
    ELEMENT = "element", _("Element form")


class GuidanceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class GuidanceVersion(models.Model):
    """One version of the guidance for (plan kind, workflow state or element kind). A change is a new
    version with a higher number; the one in force on a day is the published version with the latest
    effective date on or before it."""

    plan_kind = models.CharField(_("plan kind"), max_length=30, choices=PlanKind.choices, blank=True,
                                 help_text=_("Empty: every plan kind without guidance of its own"))
    topic_type = models.CharField(_("topic"), max_length=10, choices=GuidanceTopic.choices)
    topic = models.CharField(_("workflow state or element kind"), max_length=40)
    number = models.PositiveIntegerField(_("version number"))
    title = models.CharField(_("title"), max_length=300)
    rule_reference = models.TextField(_("rule reference"))
    explanation = models.TextField(_("plain-Thai explanation"))
    checklist = models.TextField(_("checklist (one item per line)"), blank=True)
    templates = models.TextField(_("templates (one per line: title | link)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GuidanceStatus.choices,
                              default=GuidanceStatus.PUBLISHED)
    effective_from = models.DateField(_("effective date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_kind", "topic_type", "topic", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan_kind", "topic_type", "topic", "number"],
                                               name="guidance_version_unique")]
        verbose_name = _("guidance version")

    def __str__(self):
        return f"{self.title} (ฉบับที่ {self.number})"

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    @property
    def template_links(self) -> list[tuple[str, str]]:
        out = []
        for line in self.templates.splitlines():
            title, _sep, url = line.partition("|")
            if title.strip():
                out.append((title.strip(), url.strip()))
        return out

    def clean(self):
        """A published version may not take effect in the past: pages already showed the version then
        in force, and moving the date back would rewrite what they said."""
        if self.status != GuidanceStatus.PUBLISHED or self.effective_from is None:
            return
        stored = (GuidanceVersion.objects.filter(pk=self.pk).values_list("status", "effective_from").first()
                  if self.pk else None)
        if stored == (GuidanceStatus.PUBLISHED, self.effective_from):
            return  # unchanged
        today = timezone.localdate()
        if self.effective_from < today:
            raise ValidationError({"effective_from": (
                f"วันที่มีผล ({format_date(self.effective_from)}) ของแนวทางฉบับที่เผยแพร่แล้วต้องไม่ย้อนหลัง: "
                f"ระบุวันนี้ ({format_date(today)}) หรือวันหลังจากนี้")})


class KPIDefinition(models.Model):
    """A reusable KPI (คลังตัวชี้วัด). A plan uses it when one of its KPI elements has the same name once
    normalised (core.thai.normalise: Thai digits, spacing, เเ → แ): plans keep their own KPI rows, so
    the library never has to be linked by hand and counts KPIs written before it existed."""

    name = models.CharField(_("name"), max_length=500)
    name_normalised = models.CharField(max_length=500, editable=False, db_index=True)
    formula = models.TextField(_("definition / formula"), blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=KPIDirection.choices,
                                 default=KPIDirection.INCREASE)
    frequency = models.CharField(_("frequency"), max_length=20, choices=KPIFrequency.choices,
                                 default=KPIFrequency.YEARLY)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("KPI definition")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_normalised = normalise(self.name)[:500]
        super().save(*args, **kwargs)


class Workshop(models.Model):
    """A capacity-building event (อบรม / สัมมนา) with its speakers, materials and attendance."""

    title = models.CharField(_("title"), max_length=500)
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    organiser = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="workshops_organised", verbose_name=_("organiser"))
    organiser_text = models.CharField(_("organiser (other)"), max_length=300, blank=True)
    speakers = models.TextField(_("speakers (one per line)"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    guidance = models.ManyToManyField(GuidanceVersion, blank=True, related_name="workshops",
                                      verbose_name=_("guidance explained"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("workshop")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:workshop", args=[self.pk])

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]

    @property
    def organiser_name(self) -> str:
        return self.organiser.name_th if self.organiser_id else self.organiser_text


class WorkshopMaterial(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="knowledge/workshops/%Y/",
                            validators=[FileExtensionValidator(MATERIAL_EXTENSIONS)])

    class Meta:
        ordering = ["workshop", "id"]
        verbose_name = _("workshop material")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who came: an organisation, and (when known) the person's account or name."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="workshop_attendance", verbose_name=_("organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="workshop_attendance", verbose_name=_("person (account)"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["workshop", "organisation", "name"]
        verbose_name = _("attendance")

    def __str__(self):
        return f"{self.workshop} · {self.organisation}"

    @property
    def person(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return self.name
