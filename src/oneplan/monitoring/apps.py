from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "oneplan.monitoring"
    verbose_name = _("Monitoring and budget")
    nav_items = [("monitoring:budget_index", _("Budget view"))]
    plan_actions = [("monitoring:plan", _("Monitoring")), ("monitoring:quality", _("KPI quality")),
                    ("monitoring:report", _("Monitoring report")), ("monitoring:plan_budget", _("Budget lines"))]
    element_panels = ["monitoring:element_panel"]
