from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RejectedSuggestion(models.Model):
    """A suggested link someone turned down: the pair is never suggested again."""

    source = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="rejected_suggestions",
                               verbose_name=_("element"))
    target = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("suggested target"))
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="rejected_suggestion_once")]
        verbose_name = _("rejected suggestion")

    def __str__(self):
        return f"{self.source} ✗ {self.target}"


class KeptLink(models.Model):
    """A link to a superseded framework edition that an editor decided to keep: not offered again for
    re-mapping (linkage.remap)."""

    source = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("element"))
    target = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("links to"))
    kept_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="kept_link_once")]
        verbose_name = _("link kept to a superseded edition")
