"""The production shape as real processes: a throwaway PostgreSQL database and Redis server,
`oneplan serve --production` (gunicorn, two workers) and `oneplan worker`, driven over HTTP on loopback.

Runs in the PostgreSQL pass (`ONEPLAN_TEST_DB=postgres`, which starts the server it reuses). Every wait
is for readiness (a process up, a job finished) with a generous limit; nothing is measured.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.production
SRC = Path(__file__).resolve().parents[2] / "src"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
READY_SECONDS = 300  # a loaded two-core box: generous, and only ever a wait for something to be ready
PASSWORD = "production-shape-2569"
# kept between runs: collected once (half a minute), then prepare-static finds nothing changed
STATIC_ROOT = SRC.parent / "build" / "production-static"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, check, seconds: float = READY_SECONDS, stack=None):
    """Until check() is true; fails at once when a process of the stack has died (with its log)."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        for name, proc in (stack.procs.items() if stack else ()):
            if proc.poll() is not None:
                pytest.fail(f"{name} exited ({proc.returncode}) while waiting for {what}:\n{stack.log(name)[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"not ready after {seconds} s: {what}")
        time.sleep(0.2)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and no redirects followed; answers (status, headers, body) whatever the status."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()


class Stack:
    def __init__(self, tmp: Path, env: dict):
        self.tmp, self.env, self.procs = tmp, env, {}
        self.port = int(env["_PORT"])
        self.base = f"http://127.0.0.1:{self.port}"

    def oneplan(self, *args, **kwargs):
        return subprocess.run([sys.executable, "-m", "oneplan.cli", *args], env=self.env, cwd=self.tmp,
                              capture_output=True, text=True, **kwargs)

    def shell(self, code: str) -> str:
        done = self.oneplan("shell", "-c", code)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()

    def start(self, name, *args):
        log = open(self.tmp / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "oneplan.cli", *args], env=self.env,
                                            cwd=self.tmp, stdout=log, stderr=subprocess.STDOUT)
        return self.procs[name]

    def log(self, name) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def stop(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _postgres_database() -> str:
    """A new database on the suite's throwaway PostgreSQL server (the one ONEPLAN_TEST_DB starts)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("the production shape runs in the PostgreSQL pass (ONEPLAN_TEST_DB=postgres)")
    name = f"oneplan_production_{secrets.token_hex(4)}"
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url}/{name}"


def _start_redis(tmp: Path) -> tuple[subprocess.Popen, str]:
    if not Path(REDIS).exists():
        pytest.fail("redis-server is not installed: apt-get install redis-server (see .ci/run)")
    port = _free_port()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp),
                             "--save", "", "--appendonly", "no", "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"

    def pong():
        import redis

        try:
            return redis.Redis.from_url(url).ping()
        except redis.exceptions.ConnectionError:
            return False

    _wait("redis-server answers PING", pong)
    return proc, url


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        database = _postgres_database()
    redis_proc, redis_url = _start_redis(tmp)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEPLAN_", "DJANGO_"))}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH", "")])),
        DJANGO_SETTINGS_MODULE="oneplan.settings", ONEPLAN_HOME=str(tmp), DATABASE_URL=database,
        REDIS_URL=redis_url, ONEPLAN_SECRET_KEY=secrets.token_urlsafe(50), ONEPLAN_TASKS="database",
        ONEPLAN_ALLOWED_HOSTS="127.0.0.1,localhost", ONEPLAN_WORKERS="2",
        ONEPLAN_MEDIA_ROOT=str(tmp / "media"), ONEPLAN_STATIC_ROOT=str(STATIC_ROOT), _PORT=str(port))
    s = Stack(tmp, env)
    try:
        done = s.oneplan("migrate", "--noinput", "-v", "0")
        assert done.returncode == 0, done.stderr[-3000:]
        s.shell("from oneplan.areas.models import Area; Area.objects.create(code='83', kind='province', "
                "name_th='ภูเก็ต')\nfrom django.contrib.auth import get_user_model\n"
                f"get_user_model().objects.create_user('prod-somchai', password='{PASSWORD}')")
        s.start("web", "serve", "--production", f"127.0.0.1:{port}")
        s.start("worker", "worker", "--no-startup-delay")
        browser = Browser(s.base)
        _wait("gunicorn answers /healthz", lambda: _answers(browser, "/healthz"), stack=s)
        yield s
    finally:
        s.stop()
        redis_proc.terminate()
        redis_proc.wait(timeout=60)


def _answers(browser, path) -> bool:
    try:
        return browser.request(path)[0] == 200
    except OSError:  # not listening yet
        return False


def _job_status(browser, job_url) -> str:
    status, _h, body = browser.request(job_url.rstrip("/") + "/status/")
    assert status == 200
    return re.search(r'data-status="(\w+)"', body.decode()).group(1)


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ONEPLAN_SECRET_KEY",)}
    env.update(PYTHONPATH=str(SRC), ONEPLAN_HOME=str(tmp_path), ONEPLAN_ALLOWED_HOSTS="127.0.0.1")
    done = subprocess.run([sys.executable, "-m", "oneplan.cli", "serve", "--production", "127.0.0.1:1"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "ONEPLAN_SECRET_KEY" in done.stderr and "ไม่เริ่มระบบ" in done.stderr
    assert not (tmp_path / ".oneplan-secret-key").exists()  # the embedded fallback was not used


def test_readyz_reports_database_cache_and_task_queue(stack):
    status, _h, body = Browser(stack.base).request("/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["checks"] == {"database": "ok", "cache": "ok", "tasks": "ok"}
    assert ready["task_workers"] >= 1


def test_static_files_are_hashed_compressed_and_cached_for_long(stack):
    browser = Browser(stack.base)
    status, _h, body = browser.request("/")
    assert status == 200
    css = re.search(r'href="(/static/core/oneplan\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the page links the hashed name of its stylesheet"
    status, headers, content = browser.request(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    import gzip

    assert b"{" in gzip.decompress(content)


def test_no_debug_page_on_a_404_or_a_bad_host(stack):
    browser = Browser(stack.base)
    status, headers, body = browser.request("/no-such-page/anywhere/", headers={"X-Request-ID": "probe-404"})
    page = body.decode()
    assert status == 404 and "ไม่พบหน้าที่ต้องการ" in page and "URLconf" not in page and "Traceback" not in page
    assert headers["X-Request-ID"] == "probe-404"  # the id the proxy gave is kept and sent back
    status, _h, body = browser.request("/", headers={"Host": "evil.example"})
    assert status == 400 and b"DisallowedHost" not in body and b"Traceback" not in body


def test_a_job_runs_in_the_worker_and_reports_progress(stack):
    """The open-data build of a province: queued by the download, built by `oneplan worker`."""
    browser = Browser(stack.base)
    status, headers, _b = browser.request("/opendata/83.zip")
    assert status == 302 and headers["Location"].startswith("/jobs/")
    job_url = headers["Location"]
    _wait("the open-data job finishes", lambda: _job_status(browser, job_url) in ("done", "failed"), stack=stack)
    status, _h, body = browser.request(job_url)
    page = body.decode()
    assert 'data-status="done"' in page and "100%" in page and 'href="/opendata/83.zip"' in page
    status, headers, content = browser.request("/opendata/83.zip")
    assert status == 200 and headers["Content-Type"] == "application/zip" and content[:2] == b"PK"


def _start_hold_job(stack, folder: Path, marker: str) -> str:
    return stack.shell(
        "from oneplan.jobs.services import start\n"
        f"print(start('oneplan.jobs.tests.kinds.hold', 'งานทดสอบ', params={{'folder': '{folder}', "
        f"'marker': '{marker}'}}).pk)").splitlines()[-1]


def test_a_worker_killed_mid_job_leaves_nothing_and_the_job_runs_again(stack, tmp_path):
    browser = Browser(stack.base)
    marker = f"marker-{secrets.token_hex(4)}"
    job_id = _start_hold_job(stack, tmp_path, marker)
    job_url = f"/jobs/{job_id}/"
    # the job tells its progress, and is inside its transaction
    _wait("the job reports 50 %", lambda: "50%" in browser.request(job_url)[2].decode(), stack=stack)
    _wait("the job is inside its transaction", lambda: (tmp_path / "inside-0").exists(), stack=stack)
    stack.procs["worker"].kill()  # SIGKILL: no clean-up of any kind
    stack.procs["worker"].wait()
    assert stack.sql("SELECT count(*) FROM jobs_job WHERE kind = 'marker' AND title = %s", marker) == [(0,)]
    assert stack.sql("SELECT status FROM jobs_job WHERE id = %s", job_id) == [("running",)]
    (tmp_path / "release").touch()
    stack.start("worker", "worker", "--no-startup-delay")  # finds the dead worker's job and runs it again
    _wait("the job is done after the restart", lambda: _job_status(browser, job_url) == "done", stack=stack)
    assert stack.sql("SELECT count(*) FROM jobs_job WHERE kind = 'marker' AND title = %s", marker) == [(1,)]
    assert stack.sql("SELECT attempts, progress FROM jobs_job WHERE id = %s", job_id) == [(2, 100)]


def _failed_login(stack, n: int) -> tuple[int, str, int]:
    """One failed login from a fresh browser; (status, page, pid of the gunicorn worker that served it)."""
    browser = Browser(stack.base)
    status, _h, body = browser.request("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    rid = f"lockout-{n}-{secrets.token_hex(4)}"
    status, _h, body = browser.request("/accounts/login/", {
        "csrfmiddlewaretoken": token, "username": "prod-somchai", "password": "wrong-password"},
        headers={"X-Request-ID": rid, "Referer": stack.base + "/accounts/login/"})
    line = _wait(f"the request log line of {rid}", lambda: next(
        (json.loads(x) for x in stack.log("web").splitlines()
         if x.startswith("{") and rid in x and '"message": "request"' in x), None), seconds=60)
    return status, body.decode(), line["process"]


def test_the_login_lockout_counts_across_both_gunicorn_workers(stack):
    """Four failures, sent two at a time (a sync gunicorn worker serves one request at a time, so a pair
    is served by both), count as four wherever they landed: the fifth locks, from either worker.
    Last in this module: it locks 127.0.0.1 out of logging in for 15 minutes."""
    with ThreadPoolExecutor(2) as pool:
        first = list(pool.map(lambda n: _failed_login(stack, n), [1, 2]))
        second = list(pool.map(lambda n: _failed_login(stack, n), [3, 4]))
    failures = first + second
    assert all(status == 200 and "ถูกต้อง" in page for status, page, _pid in failures)
    assert len({pid for _s, _p, pid in failures}) == 2, "both gunicorn workers served failures"
    status, page, _pid = _failed_login(stack, 5)
    assert status == 429 and "หลายครั้งเกินไป" in page
