"""Areas (พื้นที่): planning regions, provinces, districts, subdistricts — and province clusters,
whose membership changes by announcement and is therefore versioned by effective date."""
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Planning region")
    CLUSTER = "cluster", _("Province cluster")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")


class Area(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices, db_index=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent"))
    confirmed = models.BooleanField(default=True)
    source_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")

    def __str__(self):
        return self.name_th

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("areas:detail", args=[self.code])

    @property
    def display_name(self):
        prefix = {"province": "จังหวัด", "district": "อำเภอ", "subdistrict": "ตำบล"}.get(self.kind, "")
        if self.code == "10" or (self.kind != "province" and self.code.startswith("10")):
            prefix = {"province": "", "district": "เขต", "subdistrict": "แขวง"}.get(self.kind, prefix)
        return f"{prefix}{self.name_th}"

    def ancestors(self):
        node, chain = self.parent, []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def province(self):
        if self.kind == AreaKind.PROVINCE:
            return self
        return next((a for a in self.ancestors() if a.kind == AreaKind.PROVINCE), None)

    def clusters(self, on: date | None = None):
        """Clusters this province belongs to on a date (usually one)."""
        return Area.objects.filter(
            pk__in=ClusterMembership.objects.active(on).filter(province=self).values("cluster"))

    def members(self, on: date | None = None):
        """Provinces in this cluster on a date."""
        return Area.objects.filter(
            pk__in=ClusterMembership.objects.active(on).filter(cluster=self).values("province"))


class ClusterMembershipQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or date.today()
        return self.filter(Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gte=on))


class ClusterMembership(models.Model):
    """A province's membership of a province cluster (กลุ่มจังหวัด) from an announcement's date."""

    cluster = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="cluster_memberships",
                                limit_choices_to={"kind": AreaKind.CLUSTER})
    province = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="province_memberships",
                                 limit_choices_to={"kind": AreaKind.PROVINCE})
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    announcement = models.CharField(_("announcement"), max_length=300, blank=True)

    objects = ClusterMembershipQuerySet.as_manager()

    class Meta:
        unique_together = [("cluster", "province", "effective_from")]
