from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "oneplan.linkage"
    verbose_name = _("Linkage")
    nav_items = [("linkage:index", _("Linkage and coverage"))]
    plan_actions = [("linkage:review", _("Review suggested links")), ("linkage:plan_checks", _("One-plan checks")),
                    ("linkage:plan_coverage", _("Coverage"))]
    element_actions = [("linkage:contributors", _("Contributors across the country"))]
    plan_panels = ["linkage:plan_checks_panel"]
    element_panels = ["linkage:element_panel"]
