"""Public consultation on a plan edition: rounds, comments and their public answers, in-person
hearings (agenda, materials, attendance by sector, breakout groups) and the moderation log.

Personal data (PDPA): a participant's name, organisation and district are optional and stored only
with explicit consent; they are shown publicly only with a second, separate consent. The address a
comment came from is kept as a keyed hash (never the address itself), for moderation only."""
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")                   # ภาครัฐ
    LAO = "lao", _("Local administrative organisation")          # อปท.
    PRIVATE = "private", _("Private sector")                     # ภาคเอกชน
    CIVIL_SOCIETY = "civil_society", _("Civil society")          # ภาคประชาสังคม
    ACADEMIC = "academic", _("Academic institution")             # สถาบันการศึกษา
    CITIZEN = "citizen", _("Citizen")                            # ประชาชน


class RoundMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In-person hearing")
    BOTH = "both", _("Online and in-person")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (not public yet)")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed for comments")


class ConsultationRound(models.Model):
    """รอบการรับฟังความคิดเห็น on one plan edition."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="consultation_rounds",
                             verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True,
                                 help_text=_("Leave empty to keep it open until it is closed by hand"))
    mode = models.CharField(_("mode"), max_length=20, choices=RoundMode.choices, default=RoundMode.BOTH)
    invited_sectors = models.JSONField(_("invited sectors"), default=list, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=300,
                                   help_text=_("Name and position of the person answerable for the round"))
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices,
                              default=RoundStatus.PLANNED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # the draft as it stood when the round opened (consultation.snapshot): what people read
    text_snapshot = models.JSONField(default=list, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("consultation round")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == RoundStatus.OPEN and self.opened_at is None:
            from . import snapshot

            self.text_snapshot, self.opened_at = snapshot.take(self.plan), timezone.now()
        super().save(*args, **kwargs)

    def element_tree(self):
        """The tree people comment on: the snapshot once the round has opened, else the live draft."""
        from oneplan.plans.tree import build_tree

        from . import snapshot

        return snapshot.tree(self.text_snapshot) if self.opened_at else build_tree(self.plan)

    def element_label(self, element_id) -> str:
        """'1.2 title' of an element as the round showed it."""
        row = next((r for r in self.text_snapshot if r["id"] == element_id), None)
        return f"{row['code']} {row['title_th']}" if row else ""

    def get_absolute_url(self):
        return reverse("consultation:round", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """Open and closed rounds are public (closed ones to show the answers); planned ones are not."""
        return self.status != RoundStatus.PLANNED

    def accepts_comments(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status != RoundStatus.OPEN or today < self.opens_on:
            return False
        return self.closes_on is None or today <= self.closes_on

    def invited_sector_labels(self) -> list[str]:
        return [str(Sector(s).label) for s in self.invited_sectors if s in Sector.values]


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    NEW_PROJECT = "new_project", _("New project proposal")


class CommentSource(models.TextChoices):
    ONLINE = "online", _("Online")
    BREAKOUT = "breakout", _("Breakout group at a hearing")


def new_follow_token() -> str:
    return secrets.token_urlsafe(24)


class Comment(models.Model):
    """A comment on one element of the draft (or on the plan as a whole), or a new project proposal."""

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="comments",
                              verbose_name=_("consultation round"))
    element = models.ForeignKey("plans.Element", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="consultation_comments", verbose_name=_("element"))
    kind = models.CharField(_("kind"), max_length=20, choices=CommentKind.choices, default=CommentKind.COMMENT)
    source = models.CharField(_("channel"), max_length=20, choices=CommentSource.choices,
                              default=CommentSource.ONLINE)
    group = models.ForeignKey("BreakoutGroup", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="proposals", verbose_name=_("breakout group"))
    text = models.TextField(_("comment"))
    project_title = models.CharField(_("proposed project"), max_length=500, blank=True)
    project_location = models.CharField(_("location"), max_length=300, blank=True)
    project_budget = models.DecimalField(_("estimated budget (baht)"), max_digits=15, decimal_places=2,
                                         null=True, blank=True)
    # blank for breakout-group proposals, which speak for several sectors at once
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True, db_index=True)
    # personal data: stored only with consent_store, shown only with consent_public
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    district = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("district"))
    consent_store = models.BooleanField(_("consented to storing personal data"), default=False)
    consent_public = models.BooleanField(_("consented to showing the name publicly"), default=False)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    origin_hash = models.CharField(max_length=32, blank=True, editable=False,
                                   help_text="Keyed hash of the address and browser, for moderation only")
    follow_token = models.CharField(max_length=64, unique=True, default=new_follow_token, editable=False)
    hidden = models.BooleanField(_("hidden"), default=False, db_index=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    agree_count = models.PositiveIntegerField(default=0, editable=False)
    disagree_count = models.PositiveIntegerField(default=0, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # the part of the draft the comment speaks to, as the commenter read it (kept if it is later renamed
    # or removed)
    element_label = models.CharField(_("part of the plan"), max_length=600, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        if self.element_id and not self.element_label:
            self.element_label = (self.round.element_label(self.element_id)
                                  or f"{self.element.code} {self.element.title_th}")[:600]
        super().save(*args, **kwargs)

    def get_follow_url(self):
        return reverse("consultation:follow", args=[self.follow_token])

    @property
    def reference(self) -> str:
        """The short number a participant quotes to the planners ("ความเห็นเลขที่ C-000123"); it opens
        nothing by itself, unlike the private follow link."""
        return f"C-{self.pk:06d}" if self.pk else ""

    @property
    def public_name(self) -> str:
        """The name shown on public pages: only with the participant's consent to show it."""
        if self.consent_public and self.name:
            return self.name + (f" ({self.organisation})" if self.organisation else "")
        return ""

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector else str(_("Several sectors (breakout group)"))


class Vote(models.Model):
    """One agree/disagree per visitor per comment (a visitor is a browser cookie, hashed)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(max_length=32)
    agree = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "voter_key"], name="vote_once_per_visitor")]


class AbuseReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=500)
    reporter_key = models.CharField(max_length=32)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "reporter_key"], name="report_once_per_visitor")]


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    ALREADY = "already", _("Already in the plan")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the plan's scope (referred)")


class Answer(models.Model):
    """The planners' public answer to one comment."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="answer")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    text = models.TextField(_("answer / reason"), blank=True)
    element = models.ForeignKey("plans.Element", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="consultation_answers", verbose_name=_("element changed or linked"))
    change_made = models.TextField(_("change made to the plan"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=300, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")


class EventKind(models.TextChoices):
    HEARING = "hearing", _("Public hearing")
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    FORUM = "forum", _("Community forum")


class Event(models.Model):
    """An in-person hearing, seminar or workshop on a plan (seeds 000, 001, 003, 004)."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="consultation_events",
                             verbose_name=_("plan"))
    round = models.ForeignKey(ConsultationRound, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="events", verbose_name=_("consultation round"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.HEARING)
    title = models.CharField(_("title"), max_length=500)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    chair = models.CharField(_("chair"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    resolutions = models.TextField(_("resolutions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("hearing / seminar")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:event", args=[self.pk])

    @property
    def attendance_total(self) -> int:
        return sum(a.count for a in self.attendance.all())


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(default=0)
    time = models.CharField(_("time"), max_length=40, blank=True)
    title = models.CharField(_("talk / item"), max_length=500)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)
    speaker_organisation = models.CharField(_("speaker's organisation"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]


class MaterialKind(models.TextChoices):
    HANDOUT = "handout", _("Material handed out")
    SLIDES = "slides", _("Presentation")
    MINUTES = "minutes", _("Minutes")
    ATTACHMENT = "attachment", _("Attachment")


def material_path(instance, filename):
    return f"consultation/{instance.event.plan_id}/{instance.event_id}/{filename}"


class Material(models.Model):
    """A file kept with the plan so the next cycle's staff can find it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.HANDOUT)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=material_path, max_length=400)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]


class Attendance(models.Model):
    """Attendance of one sector at an event: the count is required, names are optional."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    count = models.PositiveIntegerField(_("number of people"))
    names = models.TextField(_("names (optional, one per line)"), blank=True)

    class Meta:
        ordering = ["sector"]
        constraints = [models.UniqueConstraint(fields=["event", "sector"], name="attendance_once_per_sector")]


class BreakoutGroup(models.Model):
    """กลุ่มย่อย by theme: a strategic issue of the plan, or a pillar (seed 001)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveIntegerField(default=0)
    theme = models.CharField(_("theme"), max_length=300)
    element = models.ForeignKey("plans.Element", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("strategic issue"))
    facilitator = models.CharField(_("facilitator"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.theme

    def get_absolute_url(self):
        return reverse("consultation:facilitate", args=[self.pk])


class ModerationActionKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    UNHIDE = "unhide", _("Shown again")
    DISMISS_REPORTS = "dismiss", _("Reports dismissed")
    ANSWER = "answer", _("Answered")
    PURGE = "purge", _("Personal data erased")


class ModerationAction(models.Model):
    """Who did what to which comment, for the moderators' log."""

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="moderation_log")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=ModerationActionKind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
