from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public read API (/api/v1/, django-ninja) and the staff tokens that widen what it shows."""

    name = "oneplan.api"
    label = "oneplan_api"
    verbose_name = _("Open API")
