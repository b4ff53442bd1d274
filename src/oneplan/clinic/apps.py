from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "oneplan.clinic"
    verbose_name = _("Clinic Center")
    nav_items = [("clinic:index", _("Report a problem"))]
    demo_commands = ["load_demo_clinic"]

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from oneplan.areas.models import Area
        from oneplan.organisations.models import Organisation

        from .routing import places_or_organisations_changed as changed

        for model in (Organisation, Area):
            post_save.connect(changed, sender=model, dispatch_uid=f"clinic-routes-{model.__name__}-save")
            post_delete.connect(changed, sender=model, dispatch_uid=f"clinic-routes-{model.__name__}-delete")
