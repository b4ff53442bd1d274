from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oneplan.plans"
