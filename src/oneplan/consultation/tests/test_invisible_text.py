"""Text that looks empty is empty: a comment of zero-width characters or a bidi override is refused
in Thai naming the field; bidi controls never reach the database."""
import pytest
from django.urls import reverse

from oneplan.consultation.models import AbuseReport, Comment
from oneplan.core.thai import is_blank_text, strip_invisible

from .test_public import post

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u200b\u200b\u200b", "\u202e", "\u2066\u2069", "\ufeff \u2060", "\u200c\u200d\n\t \u202a\u202c"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_a_comment_of_invisible_characters_is_refused_naming_the_field(client, open_round, text):
    response = post(client, open_round, text=text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "กรุณาพิมพ์ความคิดเห็น" in page and "อักขระที่มองไม่เห็น" in page and "ความคิดเห็น" in page
    assert not Comment.objects.exists()


def test_bidi_controls_are_removed_from_what_is_stored(client, open_round):
    post(client, open_round, text="ถนน\u202eเสีย\u202c ที่ซอย 5 🚲", name="\u202eสมชาย", consent_store="on")
    comment = Comment.objects.get()
    assert comment.text == "ถนนเสีย ที่ซอย 5 🚲"
    assert comment.name == "สมชาย"


def test_a_proposed_project_with_an_invisible_title_needs_a_title(client, open_round):
    response = post(client, open_round, kind="new_project", text="เสนอโครงการ", project_title="\u200b\u202e")
    assert response.status_code == 400 and "กรุณากรอกชื่อโครงการที่เสนอ" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_abuse_report_with_an_invisible_reason_is_refused(client, open_round):
    post(client, open_round)
    comment = Comment.objects.get()
    response = client.post(reverse("consultation:report_abuse", args=[comment.pk]), {"reason": "\u200b\u2060"})
    assert response.status_code == 400 and "กรุณาระบุเหตุผลที่แจ้ง" in response.content.decode()
    assert not AbuseReport.objects.exists()


def test_visible_text_with_zero_width_characters_is_kept(client, open_round):
    post(client, open_round, text="ขอ\u200bไฟฟ้า")  # Thai typists use ZWSP as a word break
    assert Comment.objects.get().text == "ขอ\u200bไฟฟ้า"


def test_the_helpers():
    assert strip_invisible("a\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069b") == "ab"
    assert is_blank_text("\u200b \u202e\n") and not is_blank_text("\u200bก") and is_blank_text("")
