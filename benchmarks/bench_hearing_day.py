"""Hearing day: concurrent public posters on one consultation round, production shape and embedded shape.

Two shapes, each on loopback only, each started fresh and stopped afterwards:

* production: a throwaway PostgreSQL (oneplan.testing.pgserver), Redis, `oneplan serve --production`
  (gunicorn, its default 2 × cores + 1 sync workers) and `oneplan worker` (tests/production's helpers);
* embedded: what `make run` starts, `oneplan serve` (Django's threaded server) on a file SQLite database.

Both use the production settings with one change (tests/load/load_settings.py): every poster shares
127.0.0.1, so the per-address allowance is raised; the per-browser one (5 a minute) is kept.

The poster model (ONEPLAN_BENCH_HEARING_POSTERS people at once, default 200, for
ONEPLAN_BENCH_HEARING_SECONDS, default 60): each poster is a person with their own browser (cookies). They
arrive spread over the first THINK_MAX seconds, load the comment form, write for a random 5–15 s (uniform;
the think time), post, and read the page the answer sends them to (their comment's follow page). Then they
load the form again for their next comment; after PER_PERSON comments they leave and a new person (new
browser) takes their place. No new post starts after the deadline; those under way finish. Before the
clock starts each server is warmed up (30 form and round pages, not counted), as on a morning's server. So the offered
load is about posters / 10.5 s comment cycles, three requests each: it measures a hall of people typing,
not a queue of machines. The load generator (threads, urllib) runs on the same two cores as the server.

Every comment carries a unique tag; afterwards the rows in the database are reconciled with the answers:
lost = a success answer (302 to the follow page) whose comment is not stored; doubled = stored rows beyond
the success answers for the same tag (stored twice, or stored although the poster got no success answer).
Each post sends its own one-time form token (core.submission), as a browser sends each form page once.
Latencies are those of the comment POST (median, p95, p99); all requests (form, post, page) are counted
as errors when they fail (anything but 200, or 302 for the post)."""
from __future__ import annotations

import json
import os
import random
import re
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from benchmarks.table import print_table

ROOT = Path(__file__).resolve().parent.parent
POSTERS = int(os.environ.get("ONEPLAN_BENCH_HEARING_POSTERS", "200"))
SECONDS = float(os.environ.get("ONEPLAN_BENCH_HEARING_SECONDS", "60"))
THINK_MIN, THINK_MAX = 5.0, 15.0
PER_PERSON = 3          # comments one person writes before leaving (within the per-browser allowance)
TIMEOUT = 120           # seconds a request may take before it counts as an error
SETTINGS = "tests.load.load_settings"
REPORTER_SHARE = 5      # one person in five reports a Clinic Center problem (Open311) instead of commenting

ROUND = '''
import json
from datetime import date, timedelta
from oneplan.consultation.models import ConsultationRound
from oneplan.testing.factories import ElementFactory, PlanFactory
plan = PlanFactory(status="consultation")
element = ElementFactory(plan=plan, kind="issue", code="1")
round_ = ConsultationRound.objects.create(plan=plan, title="hearing day", opens_on=date.today() - timedelta(days=1),
                                          status="open", responsible="ทดสอบ")
from oneplan.areas.loader import load_areas
from oneplan.clinic.loader import load_categories
load_areas()
load_categories()
print(json.dumps({"round": round_.pk, "element": element.pk, "subdistrict": "830303", "service": "road"}))
'''


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after posting is the success answer; the poster follows it by hand


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.post_latencies: list[float] = []
        self.requests = 0
        self.errors: list[str] = []
        self.answers: dict[str, int] = {}   # tag → success answers
        self.posts = 0
        self.limited = 0
        self.reports: list[tuple[str, float, int]] = []   # Clinic Center: (tag, seconds, status)

    def request(self, ok: bool, what: str):
        with self.lock:
            self.requests += 1
            if not ok:
                self.errors.append(what[:300])

    def post(self, tag: str, seconds: float, code: int, detail: str):
        with self.lock:
            self.posts += 1
            self.post_latencies.append(seconds)
            if code == 302:
                self.answers[tag] = self.answers.get(tag, 0) + 1
            elif code == 429:
                self.limited += 1
        self.request(code == 302, f"POST {code} {detail}")

    def report(self, tag: str, seconds: float, code: int, detail: str):
        with self.lock:
            self.reports.append((tag, seconds, code))
        self.request(code == 201, f"POST report {code} {detail}")


class Person:
    """One browser: the form page, the post, the page it is sent to."""

    def __init__(self, base: str, ids: dict, marker: str, stats: Stats, rng: random.Random):
        self.base, self.ids, self.marker, self.stats, self.rng = base, ids, marker, stats, rng
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.form_url = f"{base}/consultation/rounds/{ids['round']}/comment/"

    def get(self, url: str, what: str) -> str | None:
        try:
            with self.opener.open(url, timeout=TIMEOUT) as r:
                body = r.read().decode("utf-8", "replace")
            self.stats.request(True, what)
            return body
        except urllib.error.HTTPError as exc:
            self.stats.request(False, f"{what} {exc.code}")
        except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is an error too
            self.stats.request(False, f"{what} {exc!r}")
        return None

    def load_form(self) -> str | None:
        page = self.get(self.form_url, "GET form")
        if page is None:
            return None
        token = re.search(r'name="form_token" value="([^"]+)"', page)
        csrf = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if csrf is None:
            self.stats.request(False, "GET form: no CSRF cookie")
            return None
        self.csrf = csrf
        return token.group(1) if token else secrets.token_urlsafe(24)

    def post(self, form_token: str, n: int, tag: str) -> str | None:
        text = f"{self.marker} {tag} ความคิดเห็นที่ {n}: ขอให้ปรับปรุงถนนและทางเท้าในชุมชน 🚲"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, "text": text, "sector": "citizen",
                                       "kind": "comment", "element": self.ids["element"],
                                       "form_token": form_token}).encode()
        req = urllib.request.Request(self.form_url, data=body, headers={"Referer": self.form_url})
        started = time.perf_counter()
        code, detail, location = 0, "", None
        try:
            with self.opener.open(req, timeout=TIMEOUT) as r:
                code = r.status
                r.read()
        except urllib.error.HTTPError as exc:
            code, location = exc.code, exc.headers.get("Location")
            exc.read()
        except Exception as exc:  # noqa: BLE001
            detail = repr(exc)
        self.stats.post(tag, time.perf_counter() - started, code, detail)
        return location if code == 302 else None


class Reporter:
    """A citizen on a phone reporting a problem to the Clinic Center through Open311 (anonymous, its own
    visitor cookie, like the web form), then reading the report's status."""

    def __init__(self, base: str, ids: dict, marker: str, stats: Stats):
        self.base, self.ids, self.marker, self.stats = base, ids, marker, stats
        self.visitor = secrets.token_hex(16)

    def post(self, tag: str) -> str | None:
        body = urllib.parse.urlencode({"service_code": self.ids["service"], "address_id": self.ids["subdistrict"],
                                       "description": f"{self.marker} {tag} ถนนหน้าโรงเรียนเป็นหลุมลึก รถจักรยานยนต์ล้ม"})
        req = urllib.request.Request(f"{self.base}/open311/v2/requests.json", data=body.encode(),
                                     headers={"Cookie": f"oneplan_visitor={self.visitor}"})
        started = time.perf_counter()
        code, detail, reference = 0, "", None
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
                code = r.status
                reference = json.loads(r.read())[0]["service_request_id"]
        except urllib.error.HTTPError as exc:
            code, detail = exc.code, exc.read()[:200].decode("utf-8", "replace")
        except Exception as exc:  # noqa: BLE001
            detail = repr(exc)
        self.stats.report(tag, time.perf_counter() - started, code, detail)
        return reference

    def read(self, reference: str):
        try:
            with urllib.request.urlopen(f"{self.base}/open311/v2/requests/{reference}.json", timeout=TIMEOUT) as r:
                r.read()
            self.stats.request(True, "GET report")
        except Exception as exc:  # noqa: BLE001
            self.stats.request(False, f"GET report {exc!r}")


def reporter(index: int, base: str, ids: dict, marker: str, stats: Stats, deadline: float, seed: int):
    """One phone after another: writes for 5–15 s, sends one report, reads its status, leaves."""
    rng = random.Random(seed * 1000 + index)
    if not _sleep_until(rng.uniform(0, THINK_MAX), deadline):
        return
    n = 0
    while _sleep_until(rng.uniform(THINK_MIN, THINK_MAX), deadline):
        n += 1
        person = Reporter(base, ids, marker, stats)
        reference = person.post(f"R{index:03d}-{n}")
        if reference:
            person.read(reference)


def _sleep_until(seconds: float, deadline: float) -> bool:
    """Think for `seconds`, but not past the deadline; False when the deadline came first."""
    wake = time.monotonic() + seconds
    if wake >= deadline:
        time.sleep(max(0.0, deadline - time.monotonic()))
        return False
    time.sleep(seconds)
    return True


def poster(index: int, base: str, ids: dict, marker: str, stats: Stats, deadline: float, seed: int):
    rng = random.Random(seed * 1000 + index)
    if not _sleep_until(rng.uniform(0, THINK_MAX), deadline):   # people arrive spread out
        return
    person_no = 0
    while time.monotonic() < deadline:
        person_no += 1
        person = Person(base, ids, marker, stats, rng)
        for n in range(1, PER_PERSON + 1):
            if time.monotonic() >= deadline:
                return
            token = person.load_form()
            if token is None:
                break       # this browser failed; the next person comes
            if not _sleep_until(rng.uniform(THINK_MIN, THINK_MAX), deadline):
                return
            tag = f"P{index:03d}-{person_no}-{n}-{token[:12]}"
            location = person.post(token, n, tag)
            if location:
                person.get(urllib.parse.urljoin(base, location), "GET follow page")


def warm_up(base: str, ids: dict, requests: int = 30):
    """A server that has been up all morning: every worker has served a form page and the round page
    (their first request builds the URL resolver and loads the templates). Not counted."""
    for _ in range(requests):
        for path in (f"/consultation/rounds/{ids['round']}/comment/", f"/consultation/rounds/{ids['round']}/"):
            try:
                urllib.request.urlopen(base + path, timeout=TIMEOUT).read()
            except OSError:
                pass


def drive(base: str, ids: dict, posters: int, seconds: float) -> tuple[Stats, float, str]:
    warm_up(base, ids)
    marker = f"HEARING-{secrets.token_hex(4)}"
    stats = Stats()
    deadline = time.monotonic() + seconds
    seed = random.randrange(1 << 30)
    # every REPORTER_SHARE-th person in the hall reports a problem to the Clinic Center instead of commenting
    threads = [threading.Thread(target=reporter if i % REPORTER_SHARE == REPORTER_SHARE - 1 else poster,
                                args=(i, base, ids, marker, stats, deadline, seed), daemon=True,
                                name=f"person-{i}") for i in range(posters)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 2 * TIMEOUT)
    return stats, time.perf_counter() - started, marker


def reconcile(stats: Stats, stored_texts: list[str], marker: str) -> tuple[int, int]:
    """(lost, doubled) from the stored comments and the success answers, by each post's tag."""
    rows: dict[str, int] = {}
    for text in stored_texts:
        tag = text.removeprefix(marker).split()[0]
        rows[tag] = rows.get(tag, 0) + 1
    lost = sum(1 for tag, n in stats.answers.items() if rows.get(tag, 0) < n)
    doubled = sum(max(0, n - stats.answers.get(tag, 0)) for tag, n in rows.items())
    return lost, doubled


def report_row(shape: str, stats: Stats, elapsed: float, stored: list[str], marker: str) -> list:
    """The Clinic Center reports of the run: 201 answers reconciled with the stored reports by tag."""
    answered = [tag for tag, _s, code in stats.reports if code == 201]
    rows: dict[str, int] = {}
    for text in stored:
        tag = text.removeprefix(marker).split()[0]
        rows[tag] = rows.get(tag, 0) + 1
    lost = sum(1 for tag in answered if not rows.get(tag))
    doubled = sum(max(0, n - answered.count(tag)) for tag, n in rows.items())
    lat = [sec for _t, sec, _c in stats.reports] or [0.0]
    return [shape, len(stats.reports), len(answered), len(stored),
            sum(1 for _t, _s, c in stats.reports if c not in (201, 429)), sum(1 for r in stats.reports if r[2] == 429),
            lost, doubled, f"{statistics.median(lat) * 1000:.0f}", f"{_pct(lat, 0.95) * 1000:.0f}",
            f"{_pct(lat, 0.99) * 1000:.0f}", f"{len(answered) / elapsed:.1f}"]


REPORT_HEADERS = ["shape", "reports", "201", "stored", "errors", "429", "lost", "doubled", "median ms", "p95 ms",
                  "p99 ms", "reports/s"]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values) or [0.0]
    return values[min(len(values) - 1, int(len(values) * q))]


def row(shape: str, posters: int, stats: Stats, elapsed: float, stored: list[str], marker: str) -> list:
    lost, doubled = reconcile(stats, stored, marker)
    lat = stats.post_latencies or [0.0]
    ok = sum(stats.answers.values())
    return [shape, posters, stats.posts, ok, len(stored), len(stats.errors), stats.limited, lost, doubled,
            f"{statistics.median(lat) * 1000:.0f}", f"{_pct(lat, 0.95) * 1000:.0f}",
            f"{_pct(lat, 0.99) * 1000:.0f}", f"{ok / elapsed:.1f}", f"{stats.requests / elapsed:.1f}"]


HEADERS = ["shape", "posters", "posts", "success", "stored", "errors", "429", "lost", "doubled",
           "median ms", "p95 ms", "p99 ms", "posts/s", "requests/s"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(proc, port: int, log: Path, seconds: float = 300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"not answering after {seconds} s")


def _python_path() -> str:
    return os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]))


def _log_errors(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    return [line for line in text.splitlines() if "Traceback" in line or '"levelname": "ERROR"' in line][:3]


def run_embedded(posters: int, seconds: float) -> list:
    """`oneplan serve` (as `make run` starts it) on a fresh, migrated file SQLite database."""
    from oneplan.testing.filedb import file_db_env, file_db_home, run_script

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        home = file_db_home(tmp)
        ids = json.loads(run_script(home, ROUND).strip().splitlines()[-1])
        port = _free_port()
        env = file_db_env(home)
        env["PYTHONPATH"] = _python_path()
        log = tmp / "server.log"
        server = subprocess.Popen([sys.executable, "-m", "oneplan.cli", "serve", f"127.0.0.1:{port}", "--noreload",
                                   "--settings", SETTINGS], env=env, cwd=home,
                                  stdout=subprocess.DEVNULL, stderr=log.open("w"))
        try:
            _wait_listening(server, port, log)
            stats, elapsed, marker = drive(f"http://127.0.0.1:{port}", ids, posters, seconds)
        finally:
            server.terminate()
            server.wait(timeout=60)
        with sqlite3.connect(home / "db.sqlite3") as db:
            stored = [t for (t,) in db.execute("SELECT text FROM consultation_comment WHERE round_id = ? "
                                               "AND text LIKE ?", (ids["round"], f"{marker}%"))]
            reports = [t for (t,) in db.execute("SELECT text FROM clinic_report WHERE text LIKE ?", (f"{marker}%",))]
        _report_errors("embedded", stats, log)
        shape = "embedded (serve + SQLite file)"
        return (row(shape, posters, stats, elapsed, stored, marker),
                report_row(shape, stats, elapsed, reports, marker))


def run_production(posters: int, seconds: float) -> list:
    """gunicorn + PostgreSQL + Redis + a worker, with the production-shape test's helpers."""
    from tests.production.test_production_shape import STATIC_ROOT, Stack, _start_redis

    from oneplan.testing.pgserver import start_postgres, stop_postgres

    url = start_postgres()
    redis_proc = None
    stack = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            redis_proc, redis_url = _start_redis(tmp)
            port = _free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEPLAN_", "DJANGO_"))}
            env.update(PYTHONPATH=_python_path(), DJANGO_SETTINGS_MODULE=SETTINGS, ONEPLAN_HOME=str(tmp),
                       DATABASE_URL=url, REDIS_URL=redis_url, ONEPLAN_SECRET_KEY=secrets.token_urlsafe(50),
                       ONEPLAN_TASKS="database", ONEPLAN_ALLOWED_HOSTS="127.0.0.1,localhost",
                       ONEPLAN_MEDIA_ROOT=str(tmp / "media"), ONEPLAN_STATIC_ROOT=str(STATIC_ROOT), _PORT=str(port))
            if os.environ.get("ONEPLAN_WORKERS"):
                env["ONEPLAN_WORKERS"] = os.environ["ONEPLAN_WORKERS"]
            stack = Stack(tmp, env)
            done = stack.oneplan("migrate", "--noinput", "-v", "0")
            if done.returncode:
                raise RuntimeError(done.stderr[-3000:])
            ids = json.loads(stack.shell(ROUND).splitlines()[-1])
            stack.start("web", "serve", "--production", f"127.0.0.1:{port}")
            stack.start("worker", "worker", "--no-startup-delay")
            _wait_listening(stack.procs["web"], port, tmp / "web.log")
            stats, elapsed, marker = drive(stack.base, ids, posters, seconds)
            stored = [t for (t,) in stack.sql("SELECT text FROM consultation_comment WHERE round_id = %s "
                                              "AND text LIKE %s", ids["round"], f"{marker}%")]
            reports = [t for (t,) in stack.sql("SELECT text FROM clinic_report WHERE text LIKE %s", f"{marker}%")]
            stack.stop()
            _report_errors("production", stats, tmp / "web.log")
            shape = "production (gunicorn + PostgreSQL + Redis)"
            return (row(shape, posters, stats, elapsed, stored, marker),
                    report_row(shape, stats, elapsed, reports, marker))
    finally:
        if stack is not None:
            stack.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=60)
        stop_postgres()


def _report_errors(shape: str, stats: Stats, log: Path):
    if stats.errors:
        print(f"({shape}: first errors {stats.errors[:5]}; server log {_log_errors(log)})")


def run():
    posters, seconds = POSTERS, SECONDS
    print(f"{posters} posters for {seconds:.0f} s each shape; think time {THINK_MIN:.0f}–{THINK_MAX:.0f} s, "
          f"{PER_PERSON} comments per person; latencies of the comment POST")
    rows, report_rows = [], []
    for shape in (run_production, run_embedded):
        try:
            comments, reports = shape(posters, seconds)
            rows.append(comments)
            report_rows.append(reports)
        except Exception as exc:  # noqa: BLE001 - one shape failing to start must not hide the other
            print(f"({shape.__name__} did not run: {type(exc).__name__}: {str(exc)[-1500:]})")
    print("comments (people commenting on the draft plan):")
    print_table(HEADERS, rows)
    print(f"Clinic Center reports (one person in {REPORTER_SHARE} reports a problem through Open311 instead):")
    print_table(REPORT_HEADERS, report_rows)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"| {' | '.join(HEADERS)} |"] + [f"| {' | '.join(str(c) for c in r)} |" for r in rows]
    lines += ["", f"| {' | '.join(REPORT_HEADERS)} |"] + [f"| {' | '.join(str(c) for c in r)} |" for r in report_rows]
    (out / "hearing_day.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
    import django

    django.setup()
    run()
