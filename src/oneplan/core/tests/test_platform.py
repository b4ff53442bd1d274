"""The platform under attack: no debug pages, a secret key that is never a constant, static files
served without DEBUG, Thai error pages."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

import oneplan.urls

SRC = Path(__file__).resolve().parents[2]


@pytest.fixture
def anonymous(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_debug_is_off_unless_asked_for():
    assert _settings_value("DEBUG", {}) == "False"
    assert _settings_value("DEBUG", {"ONEPLAN_DEBUG": "1"}) == "True"


def test_an_anonymous_404_is_the_thai_page_without_the_url_list(anonymous, db):
    response = anonymous.get("/no-such-page/anywhere/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page
    assert not _lists_urls(page)


def test_the_url_list_check_would_see_a_debug_page(anonymous, settings, db):
    settings.DEBUG = True
    assert _lists_urls(anonymous.get("/no-such-page/anywhere/").content.decode())


def _lists_urls(page: str) -> bool:
    # Django's debug 404 names the URLconf and lists every pattern (converters shown as &lt;int:pk&gt;)
    return "URLconf" in page or "oneplan.urls" in page or "&lt;int:pk&gt;" in page


def test_a_server_error_is_the_thai_page_without_a_traceback(anonymous, db, settings):
    settings.ROOT_URLCONF = __name__
    response = anonymous.get("/test-boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in page and "secret detail" not in page and "Traceback" not in page


def test_500_page_needs_neither_the_database_nor_a_request():
    from django.template.loader import get_template

    page = get_template("500.html").render()  # what django.views.defaults.server_error does
    assert "ระบบขัดข้อง" in page


def test_a_forbidden_page_is_thai(anonymous, db, settings):
    settings.ROOT_URLCONF = __name__
    response = anonymous.get("/test-refuse/")
    assert response.status_code == 403 and "ไม่มีสิทธิ์" in response.content.decode()


@pytest.mark.parametrize("path", ["/static/vendor/echarts/echarts.min.js", "/static/django_htmx/htmx-2.min.js",
                                  "/static/core/oneplan.css"])
def test_static_files_are_served_without_debug(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_sarabun_font_is_served_without_debug(anonymous, settings):
    folder = Path(dict(settings.STATICFILES_DIRS)["fonts"])
    font = next(p for p in sorted(folder.rglob("*")) if p.suffix in (".ttf", ".woff2", ".woff", ".otf"))
    assert anonymous.get(f"/static/fonts/{font.relative_to(folder).as_posix()}").status_code == 200


def test_the_embedded_secret_key_is_random_kept_and_private(tmp_path):
    env = {"ONEPLAN_HOME": str(tmp_path), "ONEPLAN_SECRET_KEY": ""}
    first, second = _settings_value("SECRET_KEY", env), _settings_value("SECRET_KEY", env)
    key_file = tmp_path / ".oneplan-secret-key"
    assert first == second == key_file.read_text().strip()  # made once, then reused
    assert len(first) >= 50 and "dev-only" not in first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert _settings_value("SECRET_KEY", {"ONEPLAN_HOME": str(other), "ONEPLAN_SECRET_KEY": ""}) != first
    assert _settings_value("SECRET_KEY", {**env, "ONEPLAN_SECRET_KEY": "from-the-operator"}) == "from-the-operator"


# ---------------------------------------------------------------- helpers

def _settings_value(name: str, env: dict) -> str:
    """The setting as a fresh process computes it from this environment."""
    full = {k: v for k, v in os.environ.items() if k != "ONEPLAN_DEBUG"}
    full.update(PYTHONPATH=str(SRC.parent), **env)
    out = subprocess.run([sys.executable, "-c", f"import oneplan.settings as s; print(s.{name})"],
                         env=full, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _boom(request):
    raise RuntimeError("secret detail")


def _refuse(request):
    raise PermissionDenied


urlpatterns = [path("test-boom/", _boom), path("test-refuse/", _refuse), *oneplan.urls.urlpatterns]


def test_comment_rate_limits_live_in_the_shared_database_cache(client, db, settings):
    """Counted in a table every worker process shares (and a restart keeps), not in one process."""
    from datetime import date, timedelta

    from django.core.cache import cache
    from django.db import connection
    from django.urls import reverse

    from oneplan.consultation.models import ConsultationRound
    from oneplan.testing.factories import PlanFactory

    cache.clear()
    settings.CONSULTATION_RATE_LIMITS = {"comment": {"visitor": (5, 10**9)}}  # one window for the whole test
    round_ = ConsultationRound.objects.create(plan=PlanFactory(status="consultation"), title="รอบทดสอบ",
                                              opens_on=date.today() - timedelta(days=1), status="open",
                                              responsible="ทดสอบ")
    url = reverse("consultation:comment", args=[round_.pk])
    client.get(url)  # the browser gets its visitor cookie with the form
    codes = [client.post(url, {"kind": "comment", "sector": "citizen", "text": f"ข้อ {n}"}).status_code
             for n in range(6)]
    assert codes == [302] * 5 + [429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM oneplan_cache WHERE cache_key LIKE %s", ["%consultation:comment:%"])
        assert cursor.fetchone()[0] >= 2  # the visitor's and the address's counters
