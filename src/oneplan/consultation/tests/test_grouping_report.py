"""Comments grouped for the planners, the consultation report (page, PDF, Excel), demo data, PDPA purge."""
import sys
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oneplan.consultation import grouping, report, services
from oneplan.consultation.models import Answer, Attendance, Comment, ConsultationRound, Event

pytestmark = pytest.mark.django_db


def make(round_, text, **kw):
    return services.post_comment(round_, {"text": text, "sector": "citizen", "kind": "comment"} | kw,
                                 services.Origin(visitor=text, address="10.0.0.1"))


def test_by_element_rolls_comments_up_to_their_strategic_issue(open_round, draft):
    a = make(open_round, "ถนนชำรุด", element=draft["strategy"])
    b = make(open_round, "ต้องการศูนย์เด็กเล็ก", element=draft["issue2"])
    c = make(open_round, "แผนดีมาก")
    groups = grouping.by_element([a, b, c], draft["plan"])
    assert [(g.element, [x.pk for x in g.comments]) for g in groups] == [
        (draft["issue"], [a.pk]), (draft["issue2"], [b.pk]), (None, [c.pk])]


def test_by_sector_counts(open_round):
    make(open_round, "หนึ่ง", sector="lao")
    make(open_round, "สอง", sector="lao")
    make(open_round, "สาม", sector="private")
    groups = {g.key: len(g.comments) for g in grouping.by_sector(open_round.comments.all())}
    assert groups == {"lao": 2, "private": 1}


def test_near_duplicates_are_clustered_and_different_comments_are_not(open_round):
    same = ["ขอให้ขยายถนนสายหลักเข้าสนามบินเป็น 6 ช่องจราจร",
            "ขอให้ขยายถนนสายหลักเข้าสนามบินเป็น 6 ช่องจราจรค่ะ",
            "ขอให้ขยายถนนสายหลักเข้าสนามบิน เป็น 6 ช่องจราจร!!"]
    for t in same:
        make(open_round, t)
    make(open_round, "อยากให้มีศูนย์ดูแลผู้สูงอายุกลางวันในชุมชน")
    clusters = grouping.duplicate_clusters(open_round.comments.all())
    assert len(clusters) == 1 and sorted(c.text for c in clusters[0]) == sorted(same)


def test_framework_grouping_degrades_without_the_linkage_engine(open_round, monkeypatch):
    monkeypatch.setitem(sys.modules, "oneplan.linkage.engine", None)  # import now raises ImportError
    make(open_round, "ส่งเสริมการท่องเที่ยวทางทะเล")
    groups = grouping.by_framework_link(open_round.comments.all())
    assert [g.label for g in groups] == ["ยังไม่ได้จัดกลุ่ม"]


def test_framework_grouping_uses_the_linkage_engine(open_round):
    pytest.importorskip("oneplan.linkage.engine")
    make(open_round, "ส่งเสริมการท่องเที่ยวทางทะเล มารีนา เรือยอชต์ และการท่องเที่ยวเชิงคุณภาพ")
    groups = grouping.by_framework_link(open_round.comments.all())
    assert sum(len(g.comments) for g in groups) == 1
    assert groups[0].label != "ยังไม่ได้จัดกลุ่ม" and groups[0].key.startswith("05")  # master plan 05 tourism


def test_planner_page_groups_four_ways(client, planner, open_round, draft):
    make(open_round, "ถนนชำรุด", element=draft["strategy"], sector="lao")
    client.force_login(planner)
    for by in ("element", "sector", "framework", "duplicates"):
        response = client.get(reverse("consultation:manage", args=[open_round.pk]) + f"?by={by}")
        assert response.status_code == 200
    page = client.get(reverse("consultation:manage", args=[open_round.pk]) + "?by=sector").content.decode()
    assert "ถนนชำรุด" in page and "อปท." in page


def test_report_counts_participants_by_sector_online_and_at_hearings(open_round, draft):
    event = Event.objects.create(plan=draft["plan"], round=open_round, title="เวที", starts_on=date.today(),
                                 venue="ศาลากลาง")
    Attendance.objects.create(event=event, sector="lao", count=40)
    Attendance.objects.create(event=event, sector="citizen", count=25)
    make(open_round, "หนึ่ง", sector="citizen")
    services.post_comment(open_round, {"text": "สอง", "sector": "citizen", "kind": "comment"},
                          services.Origin(visitor="หนึ่ง", address="10.0.0.1"))  # same person, second comment
    make(open_round, "สาม", sector="lao")
    rows = {r.label: (r.attendance, r.online, r.comments) for r in report.participants_by_sector(open_round)}
    assert rows["ประชาชน"] == (25, 1, 2) and rows["อปท."] == (40, 1, 1)


def test_report_page_pdf_and_excel(client, open_round, draft, settings, tmp_path):
    from oneplan.testing.jobs import follow_to_file

    settings.MEDIA_ROOT = tmp_path
    c = make(open_round, "เพิ่มทางจักรยาน", element=draft["strategy"])
    Answer.objects.create(comment=c, outcome="accepted", element=draft["strategy"], change_made="เพิ่มทางจักรยานในแนวทาง 1.1")
    page = client.get(reverse("consultation:report", args=[open_round.pk])).content.decode()
    assert "เพิ่มทางจักรยานในแนวทาง 1.1" in page and "ผลการรับฟังความคิดเห็น" in page
    pdf = follow_to_file(client, client.get(reverse("consultation:report_pdf", args=[open_round.pk])))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("consultation:report_xlsx", args=[open_round.pk]))
    wb = load_workbook(BytesIO(xlsx.content))
    assert wb.sheetnames == ["ผู้เข้าร่วม", "ความคิดเห็นและคำตอบ"]
    cells = [v for row in wb["ความคิดเห็นและคำตอบ"].iter_rows(values_only=True) for v in row]
    assert "เพิ่มทางจักรยาน" in cells and "เพิ่มทางจักรยานในแนวทาง 1.1" in cells


def test_demo_hearings_load_idempotently_and_songkhla_is_open(client):
    from oneplan.consultation.demo import load_demo_consultation

    first = load_demo_consultation()
    counts = (ConsultationRound.objects.count(), Event.objects.count(), Comment.objects.count())
    second = load_demo_consultation()
    assert first == second and counts == (ConsultationRound.objects.count(), Event.objects.count(),
                                          Comment.objects.count())
    assert not first["skipped"]
    songkhla = ConsultationRound.objects.get(plan__key="songkhla-goals-2566-2585")
    assert songkhla.accepts_comments()
    assert client.get(songkhla.get_absolute_url()).status_code == 200
    phuket = Event.objects.get(plan__key="phuket-provincial-2561-2564")
    assert phuket.starts_on == date(2017, 8, 27) and phuket.groups.count() == 3
    pillars = Event.objects.get(plan__key="phuket-lao-strategy-2566-2570").groups.values_list("theme", flat=True)
    assert [p.split()[0] for p in pillars] == ["เสาหลักด้านความมั่นคง", "เสาหลักด้านเศรษฐกิจ", "เสาหลักด้านสังคมและวัฒนธรรม"]
    talks = Event.objects.get(plan__key="ko-sichang-direction").agenda.values_list("title", flat=True)
    assert "บริบทใหม่ของการวางแผนยุทธศาสตร์" in talks


def test_personal_data_is_erased_after_the_retention_period(open_round):
    c = services.post_comment(open_round, {"text": "x", "sector": "citizen", "kind": "comment", "name": "สมชาย",
                                           "consent_store": True}, services.Origin("v", "10.0.0.9"))
    open_round.status, open_round.closes_on = "closed", date.today() - timedelta(days=400)
    open_round.save()
    assert services.purge_personal_data(retention_days=365) == 1
    c.refresh_from_db()
    assert (c.name, c.origin_hash, c.text) == ("", "", "x") and c.personal_data_purged_at


def test_personal_data_without_consent_is_never_stored(open_round):
    c = services.post_comment(open_round, {"text": "x", "sector": "citizen", "kind": "comment", "name": "สมชาย",
                                           "organisation": "ชุมชน", "consent_store": False})
    assert (c.name, c.organisation) == ("", "")
