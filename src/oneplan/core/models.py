"""Platform tables: one-time form tokens (see core/submission.py)."""
from django.db import models


class SubmissionToken(models.Model):
    """A form's one-time token, stored when the form is first accepted: a second submission of the
    same page (double click, a browser resending, four tabs at once) finds it and changes nothing."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    target_url = models.CharField(max_length=500, blank=True)  # where a repeated submission is sent

    def __str__(self):
        return self.token
