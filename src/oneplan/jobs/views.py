import mimetypes
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Job


def _visible_job(request, pk) -> Job:
    """The owner's, or a public one (no owner); staff see every job. Others get 404, not a hint."""
    job = get_object_or_404(Job, pk=pk)
    user = request.user
    if job.owner_id is not None and not (user.is_authenticated and (user.pk == job.owner_id or user.is_staff)):
        raise Http404
    return job


def _may_retry(user, job) -> bool:
    if job.status != Job.FAILED:
        return False
    if job.owner_id is None:
        return user.is_authenticated  # a public build: anyone signed in may ask again
    return user.is_authenticated and (user.pk == job.owner_id or user.is_staff)


def _context(request, job):
    return {"job": job, "may_retry": _may_retry(request.user, job)}


def detail(request, pk):
    job = _visible_job(request, pk)
    return render(request, "jobs/detail.html", _context(request, job))


def status(request, pk):
    """The part of the page htmx polls every two seconds until the job is finished."""
    job = _visible_job(request, pk)
    return render(request, "jobs/_status.html", _context(request, job))


@require_POST
def retry(request, pk):
    job = _visible_job(request, pk)
    if not _may_retry(request.user, job):
        raise Http404
    services.retry(job)
    return redirect("jobs:detail", pk=job.pk)


def result_file(request, pk):
    """The file a report job produced (a PDF), to whoever may see the job."""
    job = _visible_job(request, pk)
    if job.status != Job.DONE or not job.result_file or not default_storage.exists(job.result_file):
        raise Http404
    name = PurePosixPath(job.result_file).name
    return FileResponse(default_storage.open(job.result_file, "rb"), filename=name,
                        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
