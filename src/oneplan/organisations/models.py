"""Organisations (หน่วยงาน) that own plans, and the people who act for them."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department / national agency")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
    PROVINCIAL_AGENCY = "provincial_agency", _("Provincial agency")
    PAO = "pao", _("Provincial administrative organisation (PAO)")
    CITY_MUNICIPALITY = "city_municipality", _("City municipality")
    TOWN_MUNICIPALITY = "town_municipality", _("Town municipality")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("Subdistrict municipality")
    SAO = "sao", _("Subdistrict administrative organisation (SAO)")
    SPECIAL_LAO = "special_lao", _("Special local administration")
    COMMITTEE = "committee", _("Committee")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    CIVIL_SOCIETY = "civil_society", _("Civil-society group")
    PRIVATE_SECTOR = "private_sector", _("Private-sector body")
    ACADEMIC = "academic", _("Academic body")


LAO_KINDS = {OrgKind.PAO, OrgKind.CITY_MUNICIPALITY, OrgKind.TOWN_MUNICIPALITY,
             OrgKind.SUBDISTRICT_MUNICIPALITY, OrgKind.SAO, OrgKind.SPECIAL_LAO}


class CommitteeType(models.TextChoices):
    """Which body a committee is: the workflow finds the committee a plan goes to by this."""
    KBJ = "kbj", _("Provincial integrated administration committee (KBJ)")          # ก.บ.จ.
    KBK = "kbk", _("Province-cluster integrated administration committee (KBK)")    # ก.บ.ก.
    KNB = "knb", _("National area-based integrated administration committee (KNB)")  # ก.น.บ.
    LOCAL_DEVELOPMENT = "local_development", _("Local development committee")      # คณะกรรมการพัฒนาท้องถิ่น
    COUNCIL = "council", _("SAO council")                                           # สภา อบต.


class Organisation(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    # the official code where one exists (e.g. the Department of Local Administration's LAO code)
    code = models.CharField(_("official code"), max_length=20, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices, db_index=True)
    name_th = models.CharField(_("Thai name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent organisation"))
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="organisations", verbose_name=_("area"))
    committee_type = models.CharField(_("committee type"), max_length=20, choices=CommitteeType.choices,
                                      blank=True, db_index=True,
                                      help_text=_("Only for committees; for a local committee the parent is the LAO"))

    class Meta:
        ordering = ["kind", "name_th"]
        verbose_name = _("organisation")

    def __str__(self):
        return self.name_th

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("organisations:detail", args=[self.key])

    @property
    def is_lao(self):
        return self.kind in LAO_KINDS

    def province(self):
        return self.area.province() if self.area_id else None


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    SECRETARY = "secretary", _("Committee secretary")
    MODERATOR = "moderator", _("Moderator")
    VIEWER = "viewer", _("Viewer")
    # held in a provincial body (the provincial office or สถ.จ.): registers LAOs, invites people and gives
    # roles in the organisations of that province (organisations.onboarding)
    PROVINCE_ADMIN = "province_admin", _("Province administrator")


class Membership(models.Model):
    """A user's role in an organisation (a committee is an organisation too)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "organisation", "role")]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class Invitation(models.Model):
    """A one-time invitation to take a role in an organisation: a link sent by e-mail or a code handed
    over. Only a hash of the code is stored; it is used once, and not after it expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")

    def __str__(self):
        return f"{self.organisation} · {self.get_role_display()} · {self.email or '-'}"
