"""Notifications in the app and by e-mail. A notification is written once per event and person
(`key` makes a repeated event harmless); e-mails go through an outbox that is never emptied: a send
that fails stays pending with a later retry time, and is marked sent only after the server accepted it."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMMITTEE_WAITING = "committee_waiting", _("A plan is waiting for my committee")
    RETURNED = "returned", _("A plan was returned to us with a reason")
    DEADLINE = "deadline", _("A calendar deadline in 14, 7 or 1 days")
    COMMENT = "comment", _("A comment on our plan to answer")
    ANSWER = "answer", _("An answer to a comment I follow")
    FRAMEWORK_EDITION = "framework_edition", _("A new framework edition replaces one our links point to")
    CLINIC = "clinic", _("A Clinic Center report for our organisation")


class EmailMode(models.TextChoices):
    NONE = "none", _("No e-mail")
    IMMEDIATE = "immediate", _("One e-mail per notification")
    DAILY = "daily", _("A daily digest")


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    muted = models.JSONField(_("kinds turned off"), default=list, blank=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)

    def wants(self, kind: str) -> bool:
        return kind not in self.muted


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=200, help_text="one notification per event and person")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")]
        verbose_name = _("notification")

    def __str__(self):
        return f"{self.user} · {self.title}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent (account closed or no address)")


class OutboxEmail(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="emails")
    digest = models.BooleanField(default=False, help_text="sent with the day's other items in one e-mail")
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING,
                              db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        verbose_name = _("outgoing e-mail")


class CommentFollow(models.Model):
    """A signed-in person following a hearing comment: they hear when it is answered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("consultation.Comment", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "comment"], name="follow_once")]
