"""Clinic Center (ศูนย์ Clinic Center ของ อบจ.): problems people report, routed to the one organisation
whose duty it is by law, followed on a public timeline.

- `Category`: what kind of problem, whose duty it is (an LAO, the PAO, or a provincial agency) and the
  target time in days. Reference rows come from clinic/data/categories.json (`oneplan load-reference`).
- `Report`: one problem. Public: reference number, category, text, place, status, responsible
  organisation, timeline. Never public: the reporter's contact (`ReporterContact`, only with PDPA
  consent), the follow token, the origin key.
- `Photo`: an image of the problem (or of the finished work), stored only after Pillow re-encoded it
  without EXIF/GPS metadata (clinic/photos.py): the original bytes are never kept.
- `Event`: the timeline. Every change of status or of the responsible organisation is one event;
  `public=False` events (internal notes) are shown to staff only.
"""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DutyLevel(models.TextChoices):
    """Whose duty a category is under the decentralisation law (พ.ร.บ. กำหนดแผนและขั้นตอนการกระจายอำนาจฯ
    พ.ศ. 2542 ม.16 for municipalities / SAOs, ม.17 for PAOs; the rest stays with provincial agencies)."""
    LAO = "lao", _("Local administrative organisation of the place")
    PAO = "pao", _("Provincial administrative organisation")
    AGENCY = "agency", _("Provincial agency")


class AgencyKind(models.TextChoices):
    """For duty = agency: which provincial body (found by area: the province's or the district's)."""
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
    DISTRICT_OFFICE = "district_office", _("District office")


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)  # also the Open311 service_code
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description_th = models.TextField(_("description"), blank=True)
    duty = models.CharField(_("duty of"), max_length=10, choices=DutyLevel.choices)
    agency = models.CharField(_("responsible agency"), max_length=30, choices=AgencyKind.choices, blank=True,
                              help_text=_("Only when the duty is a provincial agency's"))
    law_note = models.CharField(_("legal basis"), max_length=300, blank=True)
    target_days = models.PositiveSmallIntegerField(_("target time (days)"), default=15,
                                                   validators=[MinValueValidator(1), MaxValueValidator(365)])
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self):
        return self.name_th


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")          # waiting for the responsible organisation to accept
    FORWARDED = "forwarded", _("Forwarded")       # not ours: passed to another organisation, waiting there
    ACCEPTED = "accepted", _("Accepted by the organisation")
    IN_PROGRESS = "in_progress", _("In progress")
    REOPENED = "reopened", _("Reopened")          # the reporter said it is not solved
    DONE = "done", _("Fixed")
    CANNOT_DO = "cannot_do", _("Cannot be done")
    MERGED = "merged", _("Merged into another report")


OPEN_STATUSES = (Status.RECEIVED, Status.FORWARDED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED)
CLOSED_STATUSES = (Status.DONE, Status.CANNOT_DO, Status.MERGED)


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Open311 API")
    PARTNER = "partner", _("Partner system")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def public(self):
        """What anyone may see in lists: merged duplicates are shown through the report they joined."""
        return self.exclude(status=Status.MERGED)


class Report(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)  # CC-2569-000123
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("category"))
    text = models.TextField(_("what is wrong"))                      # as written (controls removed)
    text_normalised = models.TextField(blank=True)                   # core.thai.normalise(text)
    # place: the subdistrict (from the lists) and/or coordinates inside Thailand; province is the
    # subdistrict's (kept for the desk's province-wide queries)
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="clinic_reports", verbose_name=_("subdistrict"))
    province = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("province"))
    village = models.CharField(_("village / landmark"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    responsible = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="clinic_reports",
                                    verbose_name=_("responsible organisation"))
    # why the report waits at the PAO desk instead of the organisation whose duty it is ("" = routed)
    routing_note = models.CharField(_("routing note"), max_length=300, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="duplicates", verbose_name=_("merged into"))
    source = models.CharField(_("channel"), max_length=10, choices=Source.choices, default=Source.WEB)
    source_detail = models.CharField(_("source detail"), max_length=100, blank=True)  # e.g. partner name
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    due_date = models.DateField(_("due date"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # the reporter's secret: whoever holds it may confirm or reopen once (never shown to others)
    follow_token = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed by the reporter"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened by the reporter"), null=True, blank=True)
    origin_key = models.CharField(max_length=64, blank=True, editable=False)  # keyed hash of the visitor

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status"]), models.Index(fields=["responsible", "status"]),
                   models.Index(fields=["area", "category"])]
        verbose_name = _("problem report")

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("clinic:report", args=[self.reference])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def at_desk(self):
        """Routing did not find the organisation whose duty it is: the PAO desk must assign it."""
        return bool(self.routing_note)

    @staticmethod
    def due_from(category: Category, created=None):
        created = created or timezone.now()
        return timezone.localdate(created) + timedelta(days=category.target_days)


class ReferenceSequence(models.Model):
    """The last reference number given in a Buddhist-era year (CC-<year>-<number>)."""
    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class ReporterContact(models.Model):
    """The reporter's name and phone: stored only with PDPA consent, separate from the report so that
    nothing public can reach it; erased by the operator after the retention period."""
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consented"), default=timezone.now)

    class Meta:
        verbose_name = _("reporter contact")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted by the organisation")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Fixed")
    FORWARDED = "forwarded", _("Forwarded (not ours)")
    CANNOT_DO = "cannot_do", _("Cannot be done")
    REASSIGNED = "reassigned", _("Reassigned")
    MERGED = "merged", _("Merged into another report")
    SPLIT = "split", _("Split: part of it is now another report")
    HELP_ASKED = "help_asked", _("Help asked")
    CONFIRMED = "confirmed", _("Confirmed by the reporter")
    REOPENED = "reopened", _("Reopened by the reporter")
    NOTE = "note", _("Internal note")


class Event(models.Model):
    """One step on a report's timeline."""
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("by"))
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"))
    # forwarded to / reassigned to / help asked of
    target = models.ForeignKey("organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("to organisation"))
    target_report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("merged into"))
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report event")

    def __str__(self):
        return f"{self.report} · {self.kind}"


class Photo(models.Model):
    """An image shown publicly: re-encoded without metadata before it is stored (photos.clean_image)."""
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="photos",
                              help_text=_("The step it documents (e.g. the finished work)"))
    image = models.ImageField(_("photo"), upload_to="clinic/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
from .models_open import *  # noqa: E402,F401,F403
