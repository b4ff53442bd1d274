"""The organisation a report goes to hears of it in its notifications (and by e-mail, per each person's
choice): when the report arrives, when it is forwarded or reassigned to them, and when it is overdue."""
from datetime import timedelta

import pytest
from django.utils import timezone

from oneplan.areas.models import Area
from oneplan.clinic.models import EventKind, Report
from oneplan.clinic.services import NewReport, create_report, notify_overdue, take_step
from oneplan.notifications.models import Notification
from oneplan.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _staff(django_user_model, username, key, role="editor"):
    user = django_user_model.objects.create_user(username, password="x-pass-2569")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(key=key), role=role)
    return user


def test_the_responsible_organisation_hears_of_a_new_report_and_of_one_forwarded_to_it(
        django_user_model, category, django_capture_on_commit_callbacks):
    ct_editor = _staff(django_user_model, "t-ct-editor", "choeng-thale-municipality")
    pao_editor = _staff(django_user_model, "t-pao-editor", "phuket-pao")
    viewer = _staff(django_user_model, "t-ct-viewer", "choeng-thale-municipality", "viewer")
    with django_capture_on_commit_callbacks(execute=True):
        report = create_report(NewReport(category=category("street-light"), text="ไฟถนนดับ",
                                         area=Area.objects.get(code="830303")))
    assert report.responsible.key == "choeng-thale-municipality"
    mine = Notification.objects.filter(user=ct_editor)
    assert mine.count() == 1 and report.reference in mine.get().title
    assert not Notification.objects.filter(user__in=[pao_editor, viewer]).exists()   # viewers act on nothing

    with django_capture_on_commit_callbacks(execute=True):
        take_step(report, EventKind.FORWARDED, user=ct_editor, organisation=report.responsible,
                  target=Organisation.objects.get(key="phuket-pao"), note="ถนนของ อบจ.")
    assert Notification.objects.filter(user=pao_editor, title__contains=report.reference).count() == 1


def test_an_overdue_report_is_flagged_to_its_organisation_once(django_user_model, category,
                                                               django_capture_on_commit_callbacks):
    ct_editor = _staff(django_user_model, "t-ct-editor2", "choeng-thale-municipality")
    report = create_report(NewReport(category=category("street-light"), text="ไฟถนนดับ", area=Area.objects.get(code="830303")))
    Report.objects.filter(pk=report.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    for _ in range(2):                                   # the daily run, twice: one notification
        with django_capture_on_commit_callbacks(execute=True):
            assert notify_overdue() >= 1
    overdue = Notification.objects.filter(user=ct_editor, title__startswith="เกินกำหนด")
    assert overdue.count() == 1 and report.reference in overdue.get().title
