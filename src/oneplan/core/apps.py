from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oneplan.core"
    verbose_name = "OnePlan core"
