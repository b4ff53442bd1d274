from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "oneplan.transfer"
    verbose_name = _("Import and export")
    nav_items = [("transfer:index", _("Import/Export"), True)]  # True: signed-in users only
    plan_actions = [("transfer:plan", _("Import/Export"))]
