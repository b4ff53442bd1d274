"""Clinic Center, the open side: partner keys of the Open311 interface, problems attached to plan projects
as evidence, and the desk's learning notes. Imported at the end of clinic/models.py (one line)."""
from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class PartnerKey(models.Model):
    """An Open311 `api_key` issued by a Clinic Center desk to a partner system (a LINE bot, a city's own
    system): it lifts the anonymous rate limits and marks the reports it sends. Only its hash is kept;
    the key is shown once, when it is issued."""
    name = models.CharField(_("partner system"), max_length=100)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("issued by (desk)"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=10, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Open311 partner key")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, organisation, user=None) -> tuple[PartnerKey, str]:
        key = "o311_" + secrets.token_urlsafe(30)
        row = cls.objects.create(name=name, organisation=organisation, key_hash=hash_key(key), prefix=key[:9],
                                 issued_by=user)
        return row, key

    @classmethod
    def find(cls, key: str) -> PartnerKey | None:
        return cls.objects.usable().select_related("organisation").filter(key_hash=hash_key(key)).first()


class ReportProject(models.Model):
    """A report is evidence for a project (โครงการ) of a plan: the project answers the problem. Written only
    while the project's plan is a draft (clinic.planning); read by the project and consultation pages."""
    report = models.ForeignKey("clinic.Report", on_delete=models.CASCADE, related_name="project_links")
    element = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="clinic_reports",
                                verbose_name=_("project"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "element"], name="clinic_report_project_once")]
        verbose_name = _("problem answered by a project")


class LearningNote(models.Model):
    """A how-to note or an answer to a frequent problem, published by a desk, linked from categories, so that
    people and LAOs can help themselves (the second duty of the Clinic Center)."""
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    categories = models.ManyToManyField("clinic.Category", blank=True, related_name="learning_notes",
                                        verbose_name=_("categories"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))
    published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("learning note")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("clinic_open:note", args=[self.pk])


__all__ = ["PartnerKey", "ReportProject", "LearningNote"]
