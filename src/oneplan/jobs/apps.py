from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs: long work (large imports, open-data builds) runs in `oneplan worker`
    (django-tasks, database queue); a Job row is what the person sees: progress, result, Thai error."""

    name = "oneplan.jobs"
    verbose_name = _("Background jobs")
