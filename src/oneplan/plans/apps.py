from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oneplan.plans"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .graph import editions_in_force_changed
        from .models import Plan
        from .rules import install_state_bound_permissions

        install_state_bound_permissions()
        # what the editions in force contain changes only with a plan's workflow state (graph.py)
        post_save.connect(editions_in_force_changed, sender=Plan, dispatch_uid="plans-in-force-save")
        post_delete.connect(editions_in_force_changed, sender=Plan, dispatch_uid="plans-in-force-delete")
