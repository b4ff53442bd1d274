from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The transparency portal (หน้าความโปร่งใส): a province or an organisation at a glance, for citizens
    and journalists — plans in force with their approval record, budget by master plan, SDG and source,
    KPI status of the latest closed round, and the consultation record. Every chart has its table, a CSV
    and a snippet to embed it on another site."""

    name = "oneplan.portal"
    verbose_name = _("Transparency portal")
