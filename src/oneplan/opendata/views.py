from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render

from oneplan.areas.models import Area

from . import build as packages


def index(request):
    provinces = Area.objects.filter(kind="province").order_by("name_th")
    return render(request, "opendata/index.html", {
        "country": packages.COUNTRY, "country_built": packages.built_at(packages.COUNTRY), "provinces": provinces})


def download(request, scope):
    """The package of a scope; rebuilt first when a published plan changed since it was built."""
    try:
        packages.scope_area(scope)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    if packages.is_stale(scope):
        packages.build(scope)  # TODO(production issue): queue the rebuild as a background task instead
    response = FileResponse(default_storage.open(packages.package_path(scope), "rb"), as_attachment=True,
                            filename=f"oneplan-opendata-{scope}.zip", content_type="application/zip")
    return response
