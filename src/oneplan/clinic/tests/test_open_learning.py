"""Learning notes and partner keys: the desk writes and issues, the public reads, others are refused."""
import pytest

from oneplan.clinic.models import LearningNote, PartnerKey
from oneplan.organisations.models import Membership, Organisation
from oneplan.testing.factories import UserFactory, editor_of

from .open_helpers import categories

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_user():
    categories()
    user = UserFactory()
    Membership.objects.create(user=user, organisation=Organisation.objects.get(key="phuket-pao"), role="moderator")
    return user


def test_desk_publishes_a_note_linked_from_its_category(client, desk_user):
    client.force_login(desk_user)
    pao = Organisation.objects.get(key="phuket-pao")
    flooding = categories()["flooding"]
    response = client.post("/clinic/learn/new/", {"title": "ลอกท่อระบายน้ำเองอย่างไรให้ปลอดภัย",
                                                  "body": "1. แจ้งเทศบาล\n2. สวมถุงมือ", "categories": [flooding.pk],
                                                  "organisation": pao.pk, "published": "on"})
    assert response.status_code == 302
    note = LearningNote.objects.get()
    client.logout()
    assert "ลอกท่อระบายน้ำ" in client.get("/clinic/learn/").content.decode()
    assert "ลอกท่อระบายน้ำ" in client.get("/clinic/learn/categories/flooding/").content.decode()
    assert "สวมถุงมือ" in client.get(note.get_absolute_url()).content.decode()


def test_invisible_title_is_refused_and_others_may_not_write(client, desk_user):
    client.force_login(desk_user)
    pao = Organisation.objects.get(key="phuket-pao")
    response = client.post("/clinic/learn/new/", {"title": "\u200b\u200b", "body": "เนื้อหา", "organisation": pao.pk})
    assert response.status_code == 400 and "ชื่อเรื่อง" in response.content.decode()
    client.force_login(editor_of(Organisation.objects.get(key="choeng-thale-municipality")))
    assert client.post("/clinic/learn/new/", {"title": "ก", "body": "ข", "organisation": pao.pk}).status_code == 403
    assert not LearningNote.objects.exists()


def test_unpublished_note_is_hidden_from_the_public(client, desk_user):
    pao = Organisation.objects.get(key="phuket-pao")
    note = LearningNote.objects.create(title="ร่างบันทึก", body="ยังไม่เสร็จ", organisation=pao, published=False)
    assert client.get(note.get_absolute_url()).status_code == 404
    client.force_login(desk_user)
    assert client.get(note.get_absolute_url()).status_code == 200


def test_desk_issues_and_revokes_a_partner_key(client, desk_user):
    client.force_login(desk_user)
    response = client.post("/clinic/partners/", {"name": "LINE bot เทศบาล"})
    key = response.context["new_key"]
    assert key.startswith("o311_") and PartnerKey.find(key) is not None
    row = PartnerKey.objects.get()
    assert key not in client.get("/clinic/partners/").content.decode()   # shown once only
    client.post(f"/clinic/partners/{row.pk}/revoke/")
    assert PartnerKey.find(key) is None
    client.force_login(editor_of(Organisation.objects.get(key="choeng-thale-municipality")))
    assert client.get("/clinic/partners/").status_code == 403
    assert client.post("/clinic/partners/", {"name": "x"}).status_code == 403
