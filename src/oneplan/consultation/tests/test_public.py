"""The public side: a citizen reads the open draft, comments on an element, follows the answer;
bad input is stored safely or refused with a clear Thai message; nothing renders unescaped."""
from datetime import date, timedelta

import pytest
from django.urls import reverse

from oneplan.consultation.models import Answer, Comment, ConsultationRound, RoundStatus

pytestmark = pytest.mark.django_db


def post(client, round_, **data):
    payload = {"kind": "comment", "sector": "citizen", "text": "ข้อความทดสอบ"} | data
    return client.post(reverse("consultation:comment", args=[round_.pk]), payload)


def test_public_page_shows_the_draft_element_by_element_with_a_comment_form(client, open_round, draft):
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert draft["strategy"].title_th in page and draft["issue2"].title_th in page
    assert f'?element={draft["strategy"].pk}' in page
    assert 'name="consent_store"' in page and 'class="hp"' in page


def test_planned_round_is_not_public(client, open_round):
    open_round.status = RoundStatus.PLANNED
    open_round.save()
    assert client.get(open_round.get_absolute_url()).status_code == 404


def test_citizen_comments_on_an_element_and_follows_the_answer(client, open_round, draft, planner):
    response = post(client, open_round, element=draft["strategy"].pk, text="ขอทางเท้าที่รถเข็นผ่านได้")
    comment = Comment.objects.get(round=open_round)
    assert response.status_code == 302 and response["Location"].startswith(comment.get_follow_url())
    assert comment.element == draft["strategy"] and comment.sector == "citizen"
    assert len(comment.follow_token) >= 30
    follow = client.get(comment.get_follow_url()).content.decode()
    assert "ขอทางเท้าที่รถเข็นผ่านได้" in follow and "รอ" in follow  # awaiting an answer
    # a short number to quote to the planners, which the planners see beside the comment
    assert comment.reference == f"C-{comment.pk:06d}" and comment.reference in follow
    client.force_login(planner)
    assert comment.reference in client.get(reverse("consultation:manage", args=[open_round.pk])).content.decode()
    client.logout()

    Answer.objects.create(comment=comment, outcome="accepted", element=draft["strategy"], text="เพิ่มในแนวทางแล้ว")
    follow = client.get(comment.get_follow_url()).content.decode()
    assert "เพิ่มในแนวทางแล้ว" in follow and draft["strategy"].get_absolute_url() in follow
    assert "เพิ่มในแนวทางแล้ว" in client.get(open_round.get_absolute_url()).content.decode()


def test_follow_link_cannot_be_guessed(client, open_round):
    post(client, open_round)
    assert client.get(reverse("consultation:follow", args=["1"])).status_code == 404


def test_html_and_script_are_stored_as_text_and_rendered_escaped(client, open_round):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> <b>ตัวหนา</b>'
    post(client, open_round, text=evil, project_title="<i>x</i>")
    comment = Comment.objects.get()
    assert comment.text == evil
    for url in (open_round.get_absolute_url(), comment.get_follow_url(),
                reverse("consultation:report", args=[open_round.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>ตัวหนา" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_too_long_text_is_refused_in_thai_and_nothing_is_stored(client, open_round):
    response = post(client, open_round, text="ก" * 20_000)
    assert response.status_code == 400
    assert "ความคิดเห็นยาวเกินไป (20,000 ตัวอักษร)" in response.content.decode()
    assert not Comment.objects.exists()
    assert post(client, open_round, text="ข" * 5000).status_code == 302


def test_emoji_and_mixed_thai_english_are_stored_intact(client, open_round):
    text = "อยากได้ bike lane 🚲 ริมหาด 👍🏽 และ Wi‑Fi ฟรี ๑๒๓"
    post(client, open_round, text=text)
    assert Comment.objects.get().text == text
    assert text in client.get(open_round.get_absolute_url()).content.decode()


def test_a_closed_consultation_refuses_comments(client, open_round):
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    response = post(client, open_round)
    assert response.status_code == 403 and "ปิดรับความคิดเห็นแล้ว" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_round_past_its_closing_date_refuses_comments(client, open_round):
    open_round.closes_on = date.today() - timedelta(days=1)
    open_round.save()
    assert post(client, open_round).status_code == 403


def test_a_flood_from_one_browser_gets_429_with_a_thai_message(client, open_round):
    client.get(open_round.get_absolute_url())  # the browser gets its visitor cookie with the page
    codes = [post(client, open_round, text=f"ข้อความที่ {i}").status_code for i in range(8)]
    assert codes[:5] == [302] * 5 and set(codes[5:]) == {429}
    response = post(client, open_round, text="อีกครั้ง")
    assert "ส่งความคิดเห็นถี่เกินไป" in response.content.decode() and int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 5


def test_a_flood_from_one_address_is_limited_even_with_fresh_cookies(client, open_round, settings):
    settings.CONSULTATION_RATE_LIMITS = {"comment": {"address": (3, 60)}}
    codes = []
    for i in range(5):
        client.cookies.clear()  # a bot throwing its cookies away
        codes.append(post(client, open_round, text=f"สแปม {i}").status_code)
    assert codes == [302, 302, 302, 429, 429]


def test_honeypot_filled_by_a_bot_is_refused(client, open_round):
    response = post(client, open_round, website="http://spam.example")
    assert response.status_code == 400 and not Comment.objects.exists()


def test_personal_data_needs_explicit_consent(client, open_round):
    response = post(client, open_round, name="สมชาย ใจดี", organisation="ชุมชนบ้านบางเทา")
    assert response.status_code == 400 and "ยินยอม" in response.content.decode()
    assert not Comment.objects.exists()


def test_name_is_public_only_with_the_second_consent(client, open_round):
    post(client, open_round, name="สมชาย ใจดี", consent_store="on", text="ความเห็นแรก")
    post(client, open_round, name="สมหญิง รักถิ่น", consent_store="on", consent_public="on", text="ความเห็นสอง")
    stored = {c.name for c in Comment.objects.all()}
    assert stored == {"สมชาย ใจดี", "สมหญิง รักถิ่น"}
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "สมหญิง รักถิ่น" in page and "สมชาย ใจดี" not in page


def test_origin_is_kept_only_as_a_hash(client, open_round):
    post(client, open_round)
    comment = Comment.objects.get()
    assert comment.origin_hash and "127.0.0.1" not in comment.origin_hash


def test_new_project_proposal_needs_a_title_and_reads_thai_amounts(client, open_round):
    assert post(client, open_round, kind="new_project").status_code == 400
    post(client, open_round, kind="new_project", project_title="โครงการลานกีฬาชุมชน", project_budget="๑,๒๐๐,๐๐๐ บาท")
    comment = Comment.objects.get()
    assert comment.kind == "new_project" and str(comment.project_budget) == "1200000.00"


def test_htmx_comment_form_fragment_and_thanks(client, open_round, draft):
    fragment = client.get(reverse("consultation:comment", args=[open_round.pk]) + f"?element={draft['issue'].pk}",
                          HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and f'value="{draft["issue"].pk}" selected' in fragment
    response = client.post(reverse("consultation:comment", args=[open_round.pk]),
                           {"kind": "comment", "sector": "lao", "text": "เห็นด้วย", "element": draft["issue"].pk},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and Comment.objects.get().get_follow_url() in response.content.decode()


def test_one_vote_per_visitor_per_comment(client, open_round):
    post(client, open_round)
    comment = Comment.objects.get()
    url = reverse("consultation:vote", args=[comment.pk])
    client.post(url, {"value": "agree"})
    client.post(url, {"value": "agree"})
    comment.refresh_from_db()
    assert (comment.agree_count, comment.disagree_count) == (1, 0)
    client.post(url, {"value": "disagree"})  # changing one's mind replaces the vote
    comment.refresh_from_db()
    assert (comment.agree_count, comment.disagree_count) == (0, 1)


def test_report_abuse_reaches_the_moderators_once(client, open_round):
    post(client, open_round)
    comment = Comment.objects.get()
    url = reverse("consultation:report_abuse", args=[comment.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "ถ้อยคำหยาบคาย"})
    client.post(url, {"reason": "ซ้ำ"})
    assert comment.reports.count() == 1


def test_open_rounds_listed_under_hearings(client, open_round):
    page = client.get(reverse("consultation:index")).content.decode()
    assert open_round.title in page and reverse("consultation:index") in page


def test_round_status_and_dates_decide_whether_comments_are_accepted(open_round):
    today = date.today()
    assert open_round.accepts_comments(today)
    assert not open_round.accepts_comments(today + timedelta(days=31))
    assert not open_round.accepts_comments(today - timedelta(days=2))
    endless = ConsultationRound(plan=open_round.plan, opens_on=today, status="open")
    assert endless.accepts_comments(today + timedelta(days=3650))


def test_htmx_refusals_are_swapped_into_the_page_with_the_thai_message(client, open_round):
    client.get(open_round.get_absolute_url())
    url = reverse("consultation:comment", args=[open_round.pk])
    response = client.post(url, {"kind": "comment", "sector": "", "text": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "กรุณาพิมพ์ความคิดเห็น" in response.content.decode()
    for i in range(6):
        response = post(client, open_round, text=f"ข้อความ {i}")
    response = client.post(url, {"kind": "comment", "sector": "citizen", "text": "อีก"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "ส่งความคิดเห็นถี่เกินไป" in response.content.decode()


def test_the_round_shows_the_text_as_it_was_opened_not_later_edits(client, open_round, draft):
    """Edits made in revision after the hearing do not rewrite what people read and commented on."""
    from oneplan.consultation.report import build, workbook

    post(client, open_round, element=draft["strategy"].pk, text="ทางเท้าต้องกว้างพอสำหรับรถเข็น")
    open_round.status = RoundStatus.CLOSED
    open_round.save()
    plan = draft["plan"]
    plan.status = "revision"
    plan.save()
    strategy = draft["strategy"]
    strategy.title_th = "ถ้อยคำที่ปรับหลังปิดรับฟัง"
    strategy.save()
    draft["issue2"].delete()
    page = client.get(open_round.get_absolute_url()).content.decode()
    assert "ก่อสร้างถนนและทางเท้า" in page and "การพัฒนาคุณภาพชีวิต" in page
    assert "ถ้อยคำที่ปรับหลังปิดรับฟัง" not in page
    comment = Comment.objects.get(round=open_round)
    assert comment.element_label == "1.1 ก่อสร้างถนนและทางเท้า"
    assert "1.1 ก่อสร้างถนนและทางเท้า" in client.get(comment.get_follow_url()).content.decode()
    sheet = workbook(build(open_round))["ความคิดเห็นและคำตอบ"]  # the part named as it was read
    assert any("1.1 ก่อสร้างถนนและทางเท้า" in str(c.value) for row in sheet.iter_rows() for c in row)
