from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from oneplan.areas.models import Area
from oneplan.jobs.models import Job

from . import build as packages
from .jobs import start_build


def index(request):
    provinces = Area.objects.filter(kind="province").order_by("name_th")
    return render(request, "opendata/index.html", {
        "country": packages.COUNTRY, "country_built": packages.built_at(packages.COUNTRY), "provinces": provinces})


def download(request, scope):
    """The package of a scope. When a published plan changed since it was built, the rebuild is a job
    for the task worker (the whole country takes minutes): the visitor is sent to its progress page,
    whose result link comes back here once the package is fresh."""
    try:
        packages.scope_area(scope)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    if packages.is_stale(scope):
        job = start_build(scope)
        if job.status != Job.DONE:  # with the immediate backend (tests) it is done already
            return redirect("jobs:detail", pk=job.pk)
    response = FileResponse(default_storage.open(packages.package_path(scope), "rb"), as_attachment=True,
                            filename=f"oneplan-opendata-{scope}.zip", content_type="application/zip")
    return response
