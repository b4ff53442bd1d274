from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    """Bulk open data: everything published, per province and for the whole country, as CSV files with a
    Frictionless datapackage.json, and the project-by-project linkage export national monitoring uses."""

    name = "oneplan.opendata"
    verbose_name = _("Open data")
    nav_items = [("opendata:index", _("Open data"))]

    def ready(self):
        from django.db.models.signals import post_save

        from .signals import rebuild_when_published

        post_save.connect(rebuild_when_published, sender="governance.Transition",
                          dispatch_uid="opendata-rebuild-when-published")
