from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "oneplan.governance"
    verbose_name = _("Governance")
    nav_items = [("governance:dashboard", _("Waiting for me"))]
    plan_panels = ["governance:panel"]
    demo_commands = ["load_demo_accounts"]

    def ready(self):
        from . import signals  # noqa: F401 - connects the audit trail and the published-edition lock
