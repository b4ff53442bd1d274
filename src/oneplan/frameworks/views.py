import csv
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render

from oneplan.core import excel

from . import registry
from .export import framework_rows


def framework_list(request):
    from oneplan.plans.models import Plan

    items = [(fw, list(Plan.objects.filter(framework=fw.code).order_by("-start_year"))) for fw in registry.FRAMEWORKS]
    return render(request, "frameworks/list.html", {"items": items})


def export(request, code, fmt):
    try:
        rows = framework_rows(code)
    except KeyError as exc:
        raise Http404(exc.args[0]) from None
    if fmt == "json":
        return HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.DictWriter(response, fieldnames=["code", "parent_code", "kind", "title_th", "title_en"])
    writer.writeheader()
    writer.writerows(excel.csv_dict(row) for row in rows)
    return response
