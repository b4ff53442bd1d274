"""SQLite under a long write (a 20,000-row import holds the write lock for a minute): public pages
keep answering from the last committed state (WAL: readers never wait for the writer), on the
embedded file database with the production settings."""
import json

import pytest

from oneplan.testing.filedb import file_db_home, run_script

HELD_LOCK = '''
import json, threading
from datetime import date, timedelta
from django.db import connection
from django.test import Client
from oneplan.consultation import services
from oneplan.consultation.models import ConsultationRound
from oneplan.testing.factories import ElementFactory, PlanFactory
plan = PlanFactory(status="consultation")
element = ElementFactory(plan=plan, kind="issue", code="1")
round_ = ConsultationRound.objects.create(plan=plan, title="r", opens_on=date.today() - timedelta(days=1),
                                          status="open", responsible="x")
for text in ["ขอถนนลาดยาง", "ขอไฟฟ้าส่องสว่าง", "ขอถนนคอนกรีต"]:
    services.post_comment(round_, {"text": text, "sector": "citizen", "kind": "comment", "element": element})
connection.close()
urls = ["/", "/plans/", plan.get_absolute_url(), "/consultation/", round_.get_absolute_url(),
        f"/consultation/rounds/{round_.pk}/report/", f"/consultation/rounds/{round_.pk}/comment/",
        "/static/core/oneplan.css", "/search/?q=ถนน"]
holding, done, out = threading.Event(), threading.Event(), {}
def importer():
    from django.db import transaction
    from oneplan.plans.models import Element, Plan
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(description_th="importing")  # holds the write lock
        # an import's worth of rows: more than SQLite's page cache, so it spills to the database file
        target = PlanFactory(status="draft")
        Element.objects.bulk_create([Element(plan=target, kind="project", code=f"P{n}", order=n,
                                             title_th=f"โครงการนำเข้าที่ {n} " + "ถนน" * 40)
                                     for n in range(20_000)], batch_size=2000)
        holding.set()
        done.wait()
    connection.close()
def reader():
    holding.wait()
    c = Client(raise_request_exception=False)
    for u in urls:
        out[u] = c.get(u).status_code
    connection.close()
    done.set()
a, b = threading.Thread(target=importer), threading.Thread(target=reader)
a.start(); b.start(); b.join(); a.join()
print(json.dumps(out))
'''


@pytest.mark.django_db  # the fixtures' database is not used; this runs in its own process
def test_public_pages_answer_while_an_import_holds_the_write_lock(tmp_path):
    statuses = json.loads(run_script(file_db_home(tmp_path), HELD_LOCK).strip().splitlines()[-1])
    assert statuses and all(code == 200 for code in statuses.values()), statuses
