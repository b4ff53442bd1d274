"""Two people taking the same workflow step at the same moment on the embedded SQLite database
(a real file, one connection per request as in `make run`): exactly one step is recorded, the
other person gets the Thai "state changed" refusal, nobody gets "database is locked" (a 500)."""
import json

import pytest

from oneplan.testing.filedb import file_db_home, run_script

RACES = 6  # plans raced one after another: each race is two threads released together

RACE = f'''
import json, threading
from django.db import connection
from oneplan.governance import services
from oneplan.governance.models import Transition
from oneplan.testing.factories import MembershipFactory, OrganisationFactory, PlanFactory, UserFactory

town = OrganisationFactory(key="race-town", kind="subdistrict_municipality")
editors = [UserFactory(username=f"race-editor-{{i}}") for i in range(2)]
for user in editors:
    MembershipFactory(user=user, organisation=town, role="editor")
results = []
for n in range({RACES}):
    plan = PlanFactory(key=f"race-plan-{{n}}", owner=town, status="draft")
    barrier, outcome = threading.Barrier(2), []

    def take_step(user):
        barrier.wait()
        try:
            services.perform(plan, "open_consultation", user, expected_state="draft")
            outcome.append("ok")
        except services.TransitionRefused as exc:
            outcome.append("refused: " + str(exc))
        except Exception as exc:
            outcome.append("error: " + type(exc).__name__ + ": " + str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=take_step, args=(u,)) for u in editors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.append({{"outcome": sorted(outcome),
                    "transitions": Transition.objects.filter(plan=plan).count(),
                    "journal": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]}})
print(json.dumps(results, ensure_ascii=False))
'''


@pytest.mark.django_db  # the fixtures' database is not used; the race runs in its own process
def test_two_people_taking_the_same_step_at_once_one_wins_the_other_is_told(tmp_path):
    results = json.loads(run_script(file_db_home(tmp_path), RACE).strip().splitlines()[-1])
    assert len(results) == RACES
    for race in results:
        assert race["journal"] == "wal"
        assert race["transitions"] == 1, race
        ok, other = race["outcome"]
        assert ok == "ok", race
        assert other.startswith("refused: ") and "สถานะของแผนเปลี่ยนไปแล้ว" in other, race
