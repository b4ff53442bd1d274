from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oneplan.plans"

    def ready(self):
        from .rules import install_state_bound_permissions

        install_state_bound_permissions()
