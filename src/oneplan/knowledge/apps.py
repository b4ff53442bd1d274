from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "oneplan.knowledge"
    verbose_name = _("Planning knowledge")
    nav_items = [("knowledge:index", _("Planning knowledge"))]
    element_actions = [("knowledge:history", _("Why is this here?"))]
