from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .guard import GuardedManager


def direction_problem(source_plan, target_plan) -> str | None:
    """Why a link from source_plan to target_plan breaks "one plan" (Thai), or None: links go upward only."""
    if source_plan.pk == target_plan.pk:
        return "เชื่อมโยงไปยังองค์ประกอบในแผนเดียวกันไม่ได้"
    if target_plan.rank >= source_plan.rank:
        return (f"เชื่อมโยงได้เฉพาะขึ้นไปยังแผนระดับที่สูงกว่า: “{target_plan.get_kind_display()}” "
                f"ไม่ได้อยู่เหนือ “{source_plan.get_kind_display()}”")
    return None


class Link(models.Model):
    """ความเชื่อมโยง: an element contributes to an element of a higher plan or framework."""

    plan_path = "source__plan_id"
    objects = GuardedManager()

    source = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="links_up",
                               verbose_name=_("element"))
    target = models.ForeignKey("plans.Element", on_delete=models.CASCADE, related_name="links_down",
                               verbose_name=_("links to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="link_once")]

    def __str__(self):
        return f"{self.source} → {self.target}"

    def clean(self):
        if not (self.source_id and self.target_id):
            return
        problem = direction_problem(self.source.plan, self.target.plan)
        if problem:
            raise ValidationError({"target": problem})
        if Link.objects.filter(source_id=self.source_id, target_id=self.target_id).exclude(pk=self.pk).exists():
            raise ValidationError({"target": "มีการเชื่อมโยงนี้อยู่แล้ว"})
