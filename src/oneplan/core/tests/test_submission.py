"""One request, one effect (core.submission): the same form page sent twice (a double click, a
browser resending, four tabs at once) creates one plan / one comment; the repeat is told
"ส่งแบบฟอร์มนี้แล้ว" and sent to what the first one created; a key clash is a Thai form error."""
import json
import re

import pytest
from django.urls import reverse

from oneplan.consultation.models import Comment
from oneplan.core.models import SubmissionToken
from oneplan.plans.models import Plan
from oneplan.testing.factories import OrganisationFactory, editor_of
from oneplan.testing.filedb import file_db_home, run_script

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(db):
    from datetime import date, timedelta

    from oneplan.consultation.models import ConsultationRound
    from oneplan.testing.factories import PlanFactory

    return ConsultationRound.objects.create(plan=PlanFactory(status="consultation"), title="รับฟังความคิดเห็น",
                                            opens_on=date.today() - timedelta(days=1), status="open",
                                            responsible="ปลัดเทศบาล")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _plan_data(client, org, **extra):
    token = _token(client.get("/plans/new/").content.decode())
    return {"title_th": "แผนส่งซ้ำ", "title_en": "Sent twice", "kind": "lao_local", "owner": org.pk,
            "start_year": "2566", "end_year": "2570", "edition_type": "first", "form_token": token, **extra}


def test_the_same_plan_form_sent_twice_makes_one_plan(client):
    org = OrganisationFactory()
    client.force_login(editor_of(org))
    data = _plan_data(client, org)
    first = client.post("/plans/new/", data)
    plan = Plan.objects.get(title_th="แผนส่งซ้ำ")
    assert first.status_code == 302 and first["Location"] == plan.get_absolute_url()
    again = client.post("/plans/new/", data, follow=True)
    assert Plan.objects.filter(title_th="แผนส่งซ้ำ").count() == 1
    assert again.redirect_chain[0][0] == plan.get_absolute_url()
    assert "ส่งแบบฟอร์มนี้แล้ว" in again.content.decode()


def test_each_new_form_page_has_its_own_token(client):
    org = OrganisationFactory()
    client.force_login(editor_of(org))
    assert _token(client.get("/plans/new/").content.decode()) != _token(client.get("/plans/new/").content.decode())


def test_a_form_refused_for_an_error_can_be_corrected_and_sent(client):
    org = OrganisationFactory()
    client.force_login(editor_of(org))
    data = _plan_data(client, org, end_year="2560")
    assert "ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น" in client.post("/plans/new/", data).content.decode()
    assert client.post("/plans/new/", {**data, "end_year": "2570"}).status_code == 302
    assert Plan.objects.filter(title_th="แผนส่งซ้ำ").count() == 1


def test_a_forged_token_is_refused_in_thai(client):
    org = OrganisationFactory()
    client.force_login(editor_of(org))
    response = client.post("/plans/new/", _plan_data(client, org, form_token="<script>"))
    assert "แบบฟอร์มไม่สมบูรณ์" in response.content.decode()
    assert not Plan.objects.filter(title_th="แผนส่งซ้ำ").exists()


def test_the_same_comment_form_sent_twice_stores_one_comment(client, open_round):
    url = reverse("consultation:comment", args=[open_round.pk])
    token = _token(client.get(url).content.decode())
    data = {"kind": "comment", "sector": "citizen", "text": "ขอไฟส่องสว่างซอย 3", "form_token": token}
    first = client.post(url, data)
    comment = Comment.objects.get()
    assert first.status_code == 302 and first["Location"].startswith(comment.get_follow_url())
    again = client.post(url, data, follow=True)
    assert Comment.objects.count() == 1
    assert again.redirect_chain[0][0].startswith(comment.get_follow_url())
    assert "ส่งแบบฟอร์มนี้แล้ว" in again.content.decode()
    htmx = client.post(url, data, HTTP_HX_REQUEST="true")
    assert "ส่งแบบฟอร์มนี้แล้ว" in htmx.content.decode() and Comment.objects.count() == 1


def test_a_refused_comment_gives_its_token_back(client, open_round):
    """Effects with their own transactions (the comment queue): a failure frees the token."""
    from oneplan.consultation import services

    url = reverse("consultation:comment", args=[open_round.pk])
    token = _token(client.get(url).content.decode())
    data = {"kind": "comment", "sector": "citizen", "text": "ความคิดเห็น", "form_token": token}
    open_round.status = "closed"
    open_round.save()
    with pytest.raises(services.ConsultationClosed):
        services.post_comment(open_round, {"text": "x", "sector": "citizen", "kind": "comment"})
    assert client.post(url, data).status_code == 403
    assert not SubmissionToken.objects.filter(token=token).exists()


def test_the_same_proposal_sent_twice_by_a_facilitator_is_stored_once(client, open_round):
    from oneplan.consultation.models import Event
    from oneplan.testing.factories import ElementFactory

    element = ElementFactory(plan=open_round.plan, kind="issue", code="1")
    event = Event.objects.create(plan=open_round.plan, round=open_round, title="เวทีประชาคม",
                                 starts_on="2023-05-25", venue="ศาลากลาง")
    group = event.groups.create(theme="ถนน", element=element)
    client.force_login(editor_of(open_round.plan.owner))
    url = reverse("consultation:facilitate", args=[group.pk])
    data = {"text": "ถนนลาดยางสายบ้านใหม่", "element": element.pk, "form_token": _token(client.get(url).content.decode())}
    client.post(url, data)
    again = client.post(url, data, follow=True)
    assert Comment.objects.filter(group=group).count() == 1
    assert "ส่งแบบฟอร์มนี้แล้ว" in again.content.decode()


# ---------------------------------------------------------------- at the same moment, real database

FOUR_TABS = '''
import json, re, threading
from django.db import connection
from django.test import Client
from oneplan.plans.models import Plan
from oneplan.testing.factories import OrganisationFactory, editor_of

org = OrganisationFactory(key="once-town", kind="subdistrict_municipality")
user = editor_of(org, "once-editor")

def page_token():
    client = Client()
    client.force_login(user)
    page = client.get("/plans/new/").content.decode()
    connection.close()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)

def race(tokens, title):
    barrier, out = threading.Barrier(len(tokens)), []
    def submit(token):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        barrier.wait()
        response = client.post("/plans/new/", {"title_th": title, "title_en": "Four tabs", "kind": "lao_local",
                                               "owner": org.pk, "start_year": "2566", "end_year": "2570",
                                               "edition_type": "first", "form_token": token})
        out.append({"status": response.status_code, "clash": "ถูกใช้แล้ว" in response.content.decode()})
        connection.close()
    threads = [threading.Thread(target=submit, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"responses": out, "plans": Plan.objects.filter(title_th=title).count()}

same = page_token()
print(json.dumps({"one_page_four_clicks": race([same] * 4, "แผนสี่คลิก"),
                  "four_tabs": race([page_token() for _ in range(4)], "แผนสี่แท็บ")}))
'''


def test_four_simultaneous_submits_on_the_embedded_database(tmp_path):
    result = json.loads(run_script(file_db_home(tmp_path), FOUR_TABS).strip().splitlines()[-1])
    clicks, tabs = result["one_page_four_clicks"], result["four_tabs"]
    assert clicks["plans"] == 1  # one page: one plan, the other clicks are sent to it
    assert sorted(r["status"] for r in clicks["responses"]) == [302] * 4
    # four pages of the same new plan: no 500; each either creates a plan or is told the key is taken
    assert all(r["status"] == 302 or (r["status"] == 200 and r["clash"]) for r in tabs["responses"]), tabs
    assert tabs["plans"] == sum(r["status"] == 302 for r in tabs["responses"]) >= 1
