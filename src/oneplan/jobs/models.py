import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work as the person who asked for it sees it. `kind` is the dotted path
    of the function that does the work (set by code, never from a request); `params` its arguments."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(QUEUED, _("Queued")), (RUNNING, _("Running")), (DONE, _("Done")), (FAILED, _("Failed"))]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # not guessable: public jobs
    kind = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="jobs")  # None: a public job (an open-data build), anyone may look
    params = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, set by the job itself
    note = models.CharField(max_length=300, blank=True)  # what the job is doing now, in Thai
    error = models.TextField(blank=True)  # Thai, for the person
    result_url = models.CharField(max_length=500, blank=True)
    result_label = models.CharField(max_length=300, blank=True)
    # what a report job computed: a file in storage (a PDF) or rows a page renders (checks, duplicates)
    result_file = models.CharField(max_length=300, blank=True)
    result_data = models.JSONField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)  # django-tasks result id
    attempts = models.PositiveSmallIntegerField(default=0)
    request_id = models.CharField(max_length=64, blank=True)  # the request that queued it (logs)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)


class WorkerBeat(models.Model):
    """A task worker that is alive says so every few seconds (oneplan.jobs.reclaim)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
