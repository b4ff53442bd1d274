"""Side effects of a consultation, called by the views and the commands alike: posting a comment
(rate-limited, retried when SQLite is busy), votes, abuse reports, moderation, answers, erasing
personal data after the retention period."""
import contextlib
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from .models import (
    AbuseReport,
    Answer,
    Comment,
    ConsultationRound,
    ModerationAction,
    ModerationActionKind,
    Vote,
)

MAX_COMMENT_CHARS = 5000
# (limit, window in seconds) per scope; override with settings.CONSULTATION_RATE_LIMITS. A visitor is one browser (cookie); an
# address may be shared by a whole office or a hearing hall, so it gets a larger allowance.
RATE_LIMITS = {
    "comment": {"visitor": (5, 60), "address": (30, 60)},
    "report": {"visitor": (5, 60), "address": (30, 60)},
    "vote": {"visitor": (30, 60), "address": (120, 60)},
    "clinic": {"visitor": (5, 600), "address": (60, 600)},  # Clinic Center problem reports
}
RETENTION_DAYS = 365
VISITOR_COOKIE = "oneplan_visitor"


class RateLimited(Exception):
    """Too many posts from one visitor or address; the message is Thai and user-facing."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"ส่งความคิดเห็นถี่เกินไป กรุณารอประมาณ {retry_after} วินาทีแล้วลองใหม่")


class ConsultationClosed(Exception):
    def __init__(self):
        super().__init__("รอบการรับฟังความคิดเห็นนี้ปิดรับความคิดเห็นแล้ว")


def keyed_hash(*parts: str) -> str:
    """A pseudonymous key (HMAC with the secret key): lets us count and block without storing
    the address or cookie itself."""
    message = "|".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def client_address(request) -> str:
    # Behind a reverse proxy the operator sets ONEPLAN_TRUSTED_PROXY; we never trust the header blindly.
    if getattr(settings, "ONEPLAN_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def visitor_key(request) -> str:
    return keyed_hash("visitor", request.COOKIES.get(VISITOR_COOKIE, "") or client_address(request))


def _limits(scope: str) -> dict:
    configured = getattr(settings, "CONSULTATION_RATE_LIMITS", {}).get(scope, {})
    return {**RATE_LIMITS[scope], **configured}


def check_rate_limit(request, scope: str = "comment") -> None:
    """Fixed-window counters in the cache, per visitor and per address. Raises RateLimited."""
    keys = {"visitor": visitor_key(request), "address": keyed_hash("addr", client_address(request))}
    now = int(time.time())
    for kind, (limit, window) in _limits(scope).items():
        bucket = now // window
        key = f"consultation:{scope}:{kind}:{keys[kind]}:{bucket}"
        try:  # one cache write in the common case (the counter of this window exists)
            count = cache.incr(key)
        except ValueError:  # the first in this window (or the counter expired)
            if cache.add(key, 1, timeout=window + 5):
                count = 1
            else:  # another request of the same window added it meanwhile
                count = cache.incr(key)
        if count > limit:
            raise RateLimited(retry_after=window - now % window)


# SQLite has one writer at a time; in one process we queue writers here rather than have them
# spin on "database is locked" (and the in-memory test database shares one connection between
# the live server's threads, which must not interleave transactions).
_sqlite_writer = threading.Lock()


def _write_lock():
    return _sqlite_writer if connection.vendor == "sqlite" else contextlib.nullcontext()


def with_retry(fn, attempts: int = 5):
    """Run fn() in a transaction under the writer lock; retry if another process holds SQLite's lock."""
    for attempt in range(attempts):
        try:
            with _write_lock(), transaction.atomic():
                return fn()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)
    return None


@dataclass
class Origin:
    visitor: str = ""
    address: str = ""


def post_comment(round_: ConsultationRound, data: dict, origin: Origin | None = None,
                 entered_by=None) -> Comment:
    """Store one comment (already validated by CommentForm). Personal data only with consent."""
    comment = _new_comment(round_, data, origin, entered_by)
    with_retry(comment.save)
    return comment


def post_comment_once(form, round_: ConsultationRound, origin: Origin | None = None) -> Comment:
    """The public form's post: its one-time token (core.submission), the comment and the token's link to
    it in one transaction, so one post is one write (SQLite takes its write lock once, PostgreSQL commits
    once) instead of three. A repeated page raises AlreadySubmitted and writes nothing."""
    from oneplan.core.submission import submit_once

    comment = _new_comment(round_, form.cleaned_data, origin, None)

    def store():
        with submit_once(form) as claim:   # inside with_retry's transaction: a savepoint, not a commit
            comment.save()
            claim.done(comment.get_follow_url())
        return comment

    return with_retry(store)


def _new_comment(round_: ConsultationRound, data: dict, origin: Origin | None, entered_by) -> Comment:
    if data.get("source", "online") == "online" and not round_.accepts_comments():
        raise ConsultationClosed
    fields = {k: v for k, v in data.items() if k in _COMMENT_FIELDS}
    if not fields.get("consent_store"):
        fields.update(name="", organisation="", district=None, consent_public=False)
    origin = origin or Origin()
    comment = Comment(round=round_, entered_by=entered_by,
                      origin_hash=keyed_hash("origin", origin.address, origin.visitor) if origin.address else "",
                      **fields)
    comment.full_clean(exclude=["follow_token"])
    return comment


_COMMENT_FIELDS = {"element", "kind", "source", "group", "text", "project_title", "project_location",
                   "project_budget", "sector", "name", "organisation", "district", "consent_store",
                   "consent_public"}


def vote(comment: Comment, voter: str, agree: bool) -> None:
    """One vote per visitor per comment; voting again changes the vote."""
    def apply():
        existing = Vote.objects.select_for_update().filter(comment=comment, voter_key=voter).first()
        if existing is None:
            Vote.objects.create(comment=comment, voter_key=voter, agree=agree)
        elif existing.agree != agree:
            existing.agree = agree
            existing.save(update_fields=["agree"])
        else:
            return
        _recount(comment)

    try:
        with_retry(apply)
    except IntegrityError:  # a double click raced us: the first vote stands
        pass


def _recount(comment: Comment) -> None:
    votes = Vote.objects.filter(comment=comment)
    Comment.objects.filter(pk=comment.pk).update(agree_count=votes.filter(agree=True).count(),
                                                 disagree_count=votes.filter(agree=False).count())


def report_abuse(comment: Comment, reporter: str, reason: str) -> bool:
    """Record a report; False when this visitor already reported the comment."""
    def apply():
        _, created = AbuseReport.objects.get_or_create(comment=comment, reporter_key=reporter,
                                                       defaults={"reason": reason[:500]})
        return created

    try:
        return with_retry(apply)
    except IntegrityError:
        return False


def log(round_, action, user, comment=None, reason=""):
    ModerationAction.objects.create(round=round_, comment=comment, action=action, user=user, reason=reason[:500])


@transaction.atomic
def hide(comment: Comment, user, reason: str) -> None:
    comment.hidden, comment.hidden_reason = True, reason
    comment.save(update_fields=["hidden", "hidden_reason"])
    comment.reports.update(resolved=True)
    log(comment.round, ModerationActionKind.HIDE, user, comment, reason)


@transaction.atomic
def unhide(comment: Comment, user, reason: str = "") -> None:
    comment.hidden = False
    comment.save(update_fields=["hidden"])
    log(comment.round, ModerationActionKind.UNHIDE, user, comment, reason)


@transaction.atomic
def dismiss_reports(comment: Comment, user, reason: str = "") -> None:
    comment.reports.update(resolved=True)
    log(comment.round, ModerationActionKind.DISMISS_REPORTS, user, comment, reason)


@transaction.atomic
def save_answer(answer: Answer, user) -> Answer:
    answer.answered_by = user
    answer.save()
    log(answer.comment.round, ModerationActionKind.ANSWER, user, answer.comment, answer.get_outcome_display())
    return answer


def purge_personal_data(now=None, retention_days: int | None = None) -> int:
    """Erase names, organisations, districts and origin hashes of comments in rounds closed for
    longer than the retention period (settings.CONSULTATION_RETENTION_DAYS). Returns the count."""
    now = now or timezone.now()
    days = retention_days if retention_days is not None else getattr(
        settings, "CONSULTATION_RETENTION_DAYS", RETENTION_DAYS)
    cutoff = (now - timedelta(days=days)).date()
    stale = Comment.objects.filter(round__status="closed", round__closes_on__lt=cutoff,
                                   personal_data_purged_at__isnull=True)
    with transaction.atomic():
        rounds = set(stale.values_list("round_id", flat=True))
        count = stale.update(name="", organisation="", district=None, origin_hash="", consent_public=False,
                             personal_data_purged_at=now)
        for round_id in rounds:  # the moderators' log shows the erasure (done by the system, no user)
            ModerationAction.objects.create(round_id=round_id, action=ModerationActionKind.PURGE,
                                            reason=f"พ้นระยะเวลาเก็บรักษา {days} วัน")
    return count
