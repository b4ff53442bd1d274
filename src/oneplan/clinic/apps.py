from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "oneplan.clinic"
    verbose_name = _("Clinic Center")
    nav_items = [("clinic:index", _("Report a problem"))]
    demo_commands = ["load_demo_clinic"]
