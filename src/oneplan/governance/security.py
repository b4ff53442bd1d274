"""Account security: a rate-limited login, the admin site for superusers only, and a record of every
refused request (PermissionDenied) in the audit trail and the "oneplan.security" log."""
from __future__ import annotations

import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseForbidden
from django.urls import NoReverseMatch, reverse

from .audit import record_refusal

security_log = logging.getLogger("oneplan.security")

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCKED_MESSAGE = ("เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป ระบบระงับการเข้าสู่ระบบด้วยชื่อผู้ใช้นี้จากเครื่องนี้ไว้ "
                  "15 นาที กรุณารอแล้วลองใหม่ หรือติดต่อผู้ดูแลระบบ")


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _failure_key(username: str, ip: str) -> str:
    return f"oneplan:login-fail:{(username or '').strip().lower()}:{ip}"


class RateLimitedAuthenticationForm(AuthenticationForm):
    """At most MAX_FAILURES failed attempts per username and IP address in WINDOW_SECONDS."""

    def clean(self):
        key = _failure_key(self.data.get("username", ""), client_ip(self.request))
        if cache.get(key, 0) >= MAX_FAILURES:
            security_log.warning("login locked: username=%s ip=%s", self.data.get("username"),
                                 client_ip(self.request))
            raise ValidationError(LOCKED_MESSAGE, code="rate_limited")
        try:
            data = super().clean()
        except ValidationError:
            cache.add(key, 0, WINDOW_SECONDS)
            failures = cache.incr(key)
            security_log.warning("login failed: username=%s ip=%s failures=%s", self.data.get("username"),
                                 client_ip(self.request), failures)
            if failures == MAX_FAILURES:
                record_refusal(None, f"login locked for “{self.data.get('username')}” from {client_ip(self.request)}")
            raise
        cache.delete(key)
        return data


class LoginView(auth_views.LoginView):
    authentication_form = RateLimitedAuthenticationForm


class GovernanceSecurityMiddleware:
    """Place after AuthenticationMiddleware and CurrentUserMiddleware.

    - The admin site is for superusers: staff who are not superusers are refused (403).
    - A PermissionDenied from any view is recorded once as a refused action (unless the code that
      raised it already recorded it and that record survived the rolled-back transaction).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if self._is_admin(request.path) and user is not None and user.is_authenticated and not user.is_superuser:
            record_refusal(user, f"admin site refused: {request.method} {request.path}")
            return HttpResponseForbidden("หน้าผู้ดูแลระบบ (admin) ใช้ได้เฉพาะผู้ดูแลระบบสูงสุด (superuser)")
        return self.get_response(request)

    @staticmethod
    def _is_admin(path: str) -> bool:
        try:
            return path.startswith(reverse("admin:index"))
        except NoReverseMatch:
            return False

    def process_exception(self, request, exception):
        if not isinstance(exception, PermissionDenied):
            return None
        from .models import AuditEntry

        entry_id = getattr(exception, "audit_entry_id", None)
        if entry_id is None or not AuditEntry.objects.filter(pk=entry_id).exists():
            record_refusal(getattr(request, "user", None),
                           f"{request.method} {request.path}: {exception}" if str(exception)
                           else f"{request.method} {request.path}",
                           plan=getattr(exception, "audit_plan_id", None))
        return None
