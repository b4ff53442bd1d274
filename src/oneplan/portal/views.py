import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from oneplan.areas.models import Area
from oneplan.core.excel import csv_row
from oneplan.core.middleware import CSP
from oneplan.monitoring import budgetview
from oneplan.organisations.models import Organisation
from oneplan.plans.editions import public_q

from . import figures


def _province(code) -> Area:
    return get_object_or_404(Area, code=code, kind="province")


def province(request, code):
    area = _province(code)
    plans = figures.plans_in_force(area=area)
    budget = budgetview.area_budget(area)
    charts = [(name, title, getattr(budget, attr), figures.chart_option(title, getattr(budget, attr)))
              for name, (title, attr) in figures.BUDGET_CHARTS.items()]
    public = budgetview.area_plans(area).filter(public_q())
    return render(request, "portal/province.html", {
        "area": area, "cards": figures.plan_cards(plans), "budget": budget, "charts": charts,
        "consultation": figures.consultation_record(public)})


def organisation(request, key):
    org = get_object_or_404(Organisation, key=key)
    plans = figures.plans_in_force(owner=org)
    return render(request, "portal/organisation.html", {
        "org": org, "cards": figures.plan_cards(plans),
        "consultation": figures.consultation_record(org.plans.filter(public_q()))})


def _chart(code, name):
    if name not in figures.BUDGET_CHARTS:
        raise Http404("ไม่มีแผนภูมินี้")
    area = _province(code)
    title, groups, total = figures.budget_groups(area, name)
    return area, title, groups, total


@xframe_options_exempt
def chart_embed(request, code, name):
    """One chart with its table, for other sites to embed (<iframe src=…>)."""
    area, title, groups, total = _chart(code, name)
    response = render(request, "portal/embed.html", {"area": area, "title": title, "groups": groups, "total": total,
                                                     "option": figures.chart_option(title, groups), "name": name})
    response["Content-Security-Policy"] = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
    return response


def chart_csv(request, code, name):
    area, title, groups, total = _chart(code, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="oneplan-{code}-{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["รายการ", "งบประมาณ (บาท)", "จำนวนโครงการ"])
    for g in groups:
        writer.writerow(csv_row([g.label, f"{g.amount:.2f}", g.projects]))
    writer.writerow(csv_row(["รวม", f"{total:.2f}", ""]))
    return response
