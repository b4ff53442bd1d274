"""Account security: login lockout (django-axes), password rules (Thai), session expiry, CSRF, security
headers and CSP, and the admin site for superusers only."""
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oneplan.governance.models import AuditEntry
from oneplan.testing.factories import UserFactory

from .conftest import PASSWORD, login


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("governance:login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_login_is_locked_after_five_failures_per_username_and_address(client, db):
    UserFactory(username="t-somchai")
    for _ in range(4):
        assert "ถูกต้อง" in _login(client, "t-somchai", "wrong-password").content.decode()
    fifth = _login(client, "t-somchai", "wrong-password")  # the fifth failure locks: the person is told
    assert fifth.status_code == 429 and "หลายครั้งเกินไป" in fifth.content.decode()
    locked = _login(client, "t-somchai", PASSWORD)  # even the right password, for 15 minutes
    assert locked.status_code == 429
    assert "หลายครั้งเกินไป" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="refused", message__contains="t-somchai").exists()
    assert _login(Client(), "t-somchai", PASSWORD, ip="10.0.0.2").status_code == 302  # another address


def test_one_address_trying_many_usernames_is_locked(client, db):
    """Guessing passwords for 16 different accounts from one address: locked after the limit,
    whatever the username, also for an account it has not tried yet."""
    UserFactory(username="t-real")
    pages = [_login(client, f"t-guess-{n}", "wrong-password", ip="10.0.0.9") for n in range(16)]
    assert [p.status_code for p in pages[:4]] == [200] * 4
    assert all(p.status_code == 429 and "หลายครั้งเกินไป" in p.content.decode() for p in pages[4:])
    assert _login(Client(), "t-real", PASSWORD, ip="10.0.0.9").status_code == 429
    assert _login(Client(), "t-real", PASSWORD, ip="10.0.0.10").status_code == 302


def test_the_lockout_is_kept_in_the_database_not_in_one_process(client, db):
    """A restart (or another worker process) sees the lock: it is a row, not process memory."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    for n in range(5):
        _login(client, f"t-gone-{n}", "wrong-password", ip="10.0.0.7")
    assert AccessAttempt.objects.filter(ip_address="10.0.0.7").exists()
    cache.clear()  # forget everything held in memory or in the cache
    AxesProxyHandler.implementation = None  # as a freshly started process
    assert _login(Client(), "t-gone-0", "wrong-password", ip="10.0.0.7").status_code == 429


def test_the_default_cache_is_shared_between_processes(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache",
                       "django.core.cache.backends.redis.RedisCache")


def test_a_successful_login_clears_the_failures(client, db):
    UserFactory(username="t-somsri")
    for _ in range(4):
        _login(client, "t-somsri", "wrong-password")
    assert _login(client, "t-somsri", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "t-somsri", "wrong-password")
    assert _login(client, "t-somsri", PASSWORD).status_code == 302


def test_a_weak_password_is_refused_in_thai(client, db):
    user = UserFactory(username="t-weak")
    login(client, user)
    response = client.post(reverse("governance:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "สั้นเกินไป" in page and "ตัวเลขทั้งหมด" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    strong = "ทะเลอันดามัน-สวยงาม-2569"
    response = client.post(reverse("governance:password_change"), {
        "old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)


def test_sessions_expire_after_eight_hours_and_at_browser_close(client, settings, db):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    UserFactory(username="t-session")
    _login(client, "t-session", PASSWORD)
    assert client.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert client.get(reverse("governance:dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 8 hours later
    assert client.get(reverse("governance:dashboard")).status_code == 302


def test_a_post_without_the_csrf_token_is_refused(world, lao_plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.editor)
    url = reverse("governance:transition", args=[lao_plan.pk, "open_consultation"])
    assert client.post(url, {"expected_state": "draft"}).status_code == 403
    client.get(reverse("governance:panel", args=[lao_plan.pk]))
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"expected_state": "draft", "csrfmiddlewaretoken": token}).status_code == 302


def test_security_headers_and_content_security_policy(client, db):
    response = client.get(reverse("governance:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_site_is_for_superusers_only(client, world):
    staff = UserFactory(username="t-staff", is_staff=True)
    assert login(client, staff).get("/admin/").status_code == 403
    assert AuditEntry.objects.filter(action="refused", user=staff, message__contains="admin").exists()
    assert login(client, world.users.superuser).get("/admin/").status_code == 200
    client.logout()
    assert client.get("/admin/").status_code == 302  # to the admin login page
