"""Reports computed by the worker: a PDF, the one-plan checks of a whole province, the duplicate finder.

Such work takes seconds to minutes at province scale, so it never runs inside a web request. A report
is asked for in a *scope* ("checks:83", "pdf:round:12") and computed *as the person who asked*: what
they may see is what it contains. So the job belongs to that person (a citizen's: a public job, computed
as anonymous) and its dedupe key is the scope plus who asked — two people never share a result, and
asking again while one is being computed returns that one.

    ask(user, kind, title, scope, params)  -> Job      queue (or the unfinished one of that scope)
    latest(user, scope)                    -> Latest   the newest result and the one in hand
    latest_or_start(...)                   -> Latest   what a report page shows (queues on first visit)
    acting_user(job)                       -> User     whom the work runs as (AnonymousUser for public jobs)
    file_outcome(job, name, content, label)-> Outcome  store a produced file; the job page links to it
    rows_outcome(job, rows, url, label)    -> Outcome  keep rows for the page that shows them
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from .models import Job
from .services import Outcome, start


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def _key(user, scope: str) -> str:
    return f"{scope}:{'user' + str(user.pk) if _signed_in(user) else 'public'}"


def ask(user, kind: str, title: str, scope: str, params: dict | None = None) -> Job:
    """`user` None: a report that is the same for everyone (one public result, shared)."""
    return start(kind, title, owner=user if _signed_in(user) else None, params=params or {},
                 dedupe_key=_key(user, scope))


@dataclass
class Latest:
    done: Job | None      # the newest finished result
    pending: Job | None   # queued or running
    failed: Job | None    # the newest attempt, when it failed after the newest result


def latest(user, scope: str) -> Latest:
    jobs = Job.objects.filter(dedupe_key=_key(user, scope))
    done = jobs.filter(status=Job.DONE).order_by("-finished_at").first()
    failed = jobs.filter(status=Job.FAILED).order_by("-created_at").first()
    if failed is not None and done is not None and failed.created_at < done.created_at:
        failed = None
    return Latest(done, jobs.filter(status__in=[Job.QUEUED, Job.RUNNING]).first(), failed)


def latest_or_start(user, kind: str, title: str, scope: str, params: dict | None = None,
                    again: bool = False) -> Latest:
    """What a report page shows: the newest result; on the first visit (or `again`, the person asked
    for a fresh one) the work is queued and the page follows its progress."""
    found = latest(user, scope)
    if again or (found.done is None and found.pending is None and found.failed is None):
        ask(user, kind, title, scope, params)
        found = latest(user, scope)
    return found


def acting_user(job: Job):
    if job.owner_id is None:
        return AnonymousUser()
    return get_user_model().objects.get(pk=job.owner_id)


def file_outcome(job: Job, name: str, content: bytes, label: str) -> Outcome:
    """Written in one storage write (a retry writes a new file and points the job at it)."""
    stored = default_storage.save(f"jobs/{job.pk}/{name}", ContentFile(content))
    Job.objects.filter(pk=job.pk).update(result_file=stored)
    return Outcome(url=reverse("jobs:file", args=[job.pk]), label=label)


def rows_outcome(job: Job, rows, url: str, label: str) -> Outcome:
    Job.objects.filter(pk=job.pk).update(result_data=rows)
    return Outcome(url=url, label=label)
