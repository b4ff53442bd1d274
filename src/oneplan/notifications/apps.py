from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "oneplan.notifications"
    verbose_name = _("Notifications")
    nav_items = [("notifications:inbox", _("Notifications"), True)]

    def ready(self):
        from . import signals  # noqa: F401  (hooks on workflow steps, comments, answers, framework loads)
