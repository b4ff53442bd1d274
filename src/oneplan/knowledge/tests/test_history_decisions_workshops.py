from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from oneplan.consultation.models import Answer, Comment, ConsultationRound
from oneplan.governance import services
from oneplan.governance.models import Transition
from oneplan.knowledge import history
from oneplan.knowledge.models import Attendance, Workshop, WorkshopMaterial
from oneplan.testing.factories import ElementFactory, PlanFactory, UserFactory, editor_of


@pytest.fixture
def line(db):
    """An announced plan with an issue heard in a closed round, then a review edition started from it."""
    old = PlanFactory(status="in_force", in_force_from=date(2023, 10, 1))
    issue = ElementFactory(plan=old, kind="issue", code="1", title_th="พัฒนาแหล่งน้ำเพื่อการเกษตร")
    heard = ConsultationRound.objects.create(plan=old, title="ประชาคมตำบล", opens_on=date(2023, 6, 1), status="closed")
    comment = Comment.objects.create(round=heard, element=issue, text="ขอให้ขุดลอกคลองสาธารณะ MXCOMMENT")
    Answer.objects.create(comment=comment, outcome="accepted", text="บรรจุในแผนแล้ว MXANSWER")
    hidden = Comment.objects.create(round=heard, element=issue, text="ข้อความที่ถูกซ่อน MXHIDDEN", hidden=True)
    editor = editor_of(old.owner)
    new = services.start_edition(old, editor, edition_type="review", reason="ปรับตามสถานการณ์ภัยแล้ง MXREASON")
    Transition.objects.create(plan=new, action="return_local_dev", from_state="local_dev", to_state="returned",
                              from_status="submitted", to_status="returned", reason="ตัวชี้วัดยังไม่ชัด MXRETURN")
    return {"old": old, "new": new, "issue": issue, "editor": editor, "hidden": hidden,
            "copy": new.elements.get(code="1")}


def test_starting_an_edition_records_where_each_element_came_from(line):
    assert line["copy"].carried_from_id == line["issue"].pk
    assert history.lineage(line["copy"]) == [line["issue"], line["copy"]]
    assert history.lineage(line["issue"]) == [line["issue"], line["copy"]]


def test_lineage_without_the_field_follows_the_same_code(line):
    from oneplan.plans.models import Element

    Element.objects.filter(pk=line["copy"].pk).update(carried_from=None)   # as for editions copied before it
    line["copy"].refresh_from_db()
    assert history.lineage(line["copy"]) == [line["issue"], line["copy"]]


def test_history_page_shows_comments_answers_reasons_to_the_owner(client, line):
    client.force_login(line["editor"])
    html = client.get(reverse("knowledge:history", args=[line["copy"].pk])).content.decode()
    for word in ("MXCOMMENT", "MXANSWER", "MXREASON", "MXRETURN"):
        assert word in html
    assert "MXHIDDEN" not in html


def test_history_hides_the_draft_edition_and_committee_records_from_the_public(client, line):
    html = client.get(reverse("knowledge:history", args=[line["issue"].pk])).content.decode()
    assert "MXCOMMENT" in html and "MXANSWER" in html            # a closed round is public
    assert "MXREASON" not in html and "MXRETURN" not in html      # the draft edition and its steps are not
    assert client.get(reverse("knowledge:history", args=[line["copy"].pk])).status_code == 404


def test_decisions_are_searchable_in_thai_only_where_the_reader_may_see(client, line):
    client.force_login(line["editor"])
    mine = client.get(reverse("knowledge:decisions"), {"q": "ภัยแล้ง"}).content.decode()
    assert "MXREASON" in mine
    assert "MXRETURN" in client.get(reverse("knowledge:decisions"), {"q": "ตัวชี้วัดยังไม่ชัด"}).content.decode()
    client.force_login(UserFactory())
    other = client.get(reverse("knowledge:decisions"), {"q": "ภัยแล้ง"}).content.decode()
    assert "MXREASON" not in other
    assert "MXANSWER" in client.get(reverse("knowledge:decisions"), {"q": "บรรจุในแผน"}).content.decode()


@pytest.fixture
def workshop(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    org = PlanFactory().owner
    w = Workshop.objects.create(title="การเขียนตัวชี้วัดที่ดี", held_on=date(2025, 3, 12), organiser_text="สำนักงาน ก.พ.ร.",
                                speakers="วิทยากร ก.พ.ร.\nวิทยากร สศช.", summary="ตัวชี้วัดเชิงผลลัพธ์")
    m = WorkshopMaterial(workshop=w, title="สไลด์")
    m.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=False)
    m.save()
    person = UserFactory(first_name="สมหญิง", last_name="ใจดี")
    Attendance.objects.create(workshop=w, organisation=org, user=person)
    Attendance.objects.create(workshop=w, organisation=org, name="นายสมชาย MXNAME")
    return {"w": w, "person": person, "material": m}


def test_workshops_are_searchable_and_list_their_materials(client, workshop):
    found = client.get(reverse("knowledge:workshops"), {"q": "ตัวชี้วัด"}).content.decode()
    assert "การเขียนตัวชี้วัดที่ดี" in found
    assert "การเขียนตัวชี้วัดที่ดี" not in client.get(reverse("knowledge:workshops"), {"q": "ขยะ"}).content.decode()
    page = client.get(reverse("knowledge:workshop", args=[workshop["w"].pk])).content.decode()
    assert "สไลด์" in page and "MXNAME" not in page                 # names of people only for signed-in staff
    assert client.get(reverse("knowledge:material", args=[workshop["material"].pk])).status_code == 200
    assert "การเขียนตัวชี้วัดที่ดี" in client.get(reverse("knowledge:decisions"), {"q": "ตัวชี้วัดเชิงผลลัพธ์"}).content.decode()


def test_a_persons_page_shows_the_workshops_they_attended(client, workshop):
    client.force_login(UserFactory())
    page = client.get(reverse("knowledge:person", args=[workshop["person"].username])).content.decode()
    assert "การเขียนตัวชี้วัดที่ดี" in page
    assert "MXNAME" in client.get(reverse("knowledge:workshop", args=[workshop["w"].pk])).content.decode()
