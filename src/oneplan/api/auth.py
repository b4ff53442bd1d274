"""Who calls the API: anonymous (what anonymous pages show) or a staff token, and how often."""
from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from .models import ApiToken, hash_key

# calls a minute: per address for anonymous callers, per token for staff systems
LIMITS = {"address": 120, "token": 600}


class Anonymous:
    """The caller without a token (the sentinel lets ninja run the endpoint with no credentials)."""

    def __bool__(self):
        return True


ANONYMOUS = Anonymous()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer op_…`; no header at all is an anonymous caller, a bad token is a 401."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            return ANONYMOUS
        return super().__call__(request)

    def authenticate(self, request, key):
        token = ApiToken.objects.usable().select_related("user", "organisation").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise AuthenticationError()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token


def token_of(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def rate_limit(request, _unused=None) -> None:
    """Fixed one-minute windows in the shared cache; past the limit a 429 with a Thai message."""
    token = token_of(request)
    kind, who = ("token", token.pk) if token else ("address", request.META.get("REMOTE_ADDR", "-"))
    window = int(time.time()) // 60
    key = f"api:{kind}:{who}:{window}"
    cache.add(key, 0, timeout=65)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=65)
        count = 1
    # an installation (or the load test, where every client is 127.0.0.1) may set its own allowances
    limit = getattr(settings, "ONEPLAN_API_RATE_LIMITS", {}).get(kind, LIMITS[kind])
    if count > limit:
        raise HttpError(429, f"เรียกใช้ API ถี่เกินไป (เกิน {limit} ครั้งต่อนาที) กรุณารอสักครู่")
