"""Account security: failed logins counted by django-axes (settings.AXES_*: per address and per
username from that address, in the database so every process and a restart see the same count),
the admin site for superusers only, and a record of every refused request (PermissionDenied, a
locked-out login) in the audit trail and the "oneplan.security" log."""
from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpResponseForbidden
from django.urls import NoReverseMatch, reverse

from .audit import record_refusal

security_log = logging.getLogger("oneplan.security")


def client_ip(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class LoginView(auth_views.LoginView):
    """Django's login; axes (backend + middleware) refuses a locked-out address or username with the
    Thai page registration/locked_out.html before any password is checked."""


@receiver(user_login_failed)
def _log_failure(sender, credentials, request=None, **kwargs):
    security_log.warning("login failed: username=%s ip=%s", credentials.get("username"), client_ip(request))


@receiver(user_locked_out)
def _record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_log.warning("login locked: username=%s ip=%s", username, ip_address)
    record_refusal(None, f"login locked for “{username}” from {ip_address}")


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
