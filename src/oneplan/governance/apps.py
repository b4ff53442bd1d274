from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "oneplan.governance"
    verbose_name = _("Governance")
    nav_items = [("governance:dashboard", _("Waiting for me"), True)]  # True: signed-in users only
    plan_panels = ["governance:panel"]
    demo_commands = ["load_demo_accounts"]

    def ready(self):
        from oneplan.plans.models import guard

        from . import locks, signals  # noqa: F401 - connects the audit trail and the published-edition lock

        guard.WRITE_GUARDS.append(locks.check_plans)
        guard.ROW_GUARDS.append(locks.check_rows)
