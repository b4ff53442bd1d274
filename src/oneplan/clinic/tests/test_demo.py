"""`oneplan load-demo` fills the Clinic Center with Phuket reports, and loading twice keeps one set."""
import pytest
from django.core.management import call_command

from oneplan.clinic.models import Report, Status

pytestmark = pytest.mark.django_db


def test_demo_reports_are_routed_and_reload_in_place():
    call_command("load_demo_clinic", verbosity=0)
    call_command("load_demo_clinic", verbosity=0)
    reports = Report.objects.filter(source_detail="demo")
    assert reports.count() == 6 and {r.province.code for r in reports} == {"83"}
    assert reports.filter(responsible__key="choeng-thale-municipality").exists()
    assert reports.filter(status=Status.DONE, confirmed_at__isnull=False).exists()
    assert reports.exclude(routing_note="").exists()          # ตำบลตลาดใหญ่: no LAO in the demo, at the desk
    assert reports.overdue().exists()
    from django.contrib.auth import get_user_model

    desk = get_user_model().objects.get(username="demo-clinic")
    assert desk.has_perm("clinic.manage_report", reports.first())
