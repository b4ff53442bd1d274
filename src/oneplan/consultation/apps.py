from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "oneplan.consultation"
    verbose_name = _("Consultation")
    nav_items = [("consultation:index", _("Hearings"))]
    plan_actions = [("consultation:plan", _("Consultation"))]
    plan_panels = ["consultation:plan_panel"]
    demo_commands = ["load_demo_consultation"]
