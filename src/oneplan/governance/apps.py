from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "oneplan.governance"
