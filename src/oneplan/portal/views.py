import csv
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
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
    public = budgetview.area_plans(area).filter(public_q())
    return render(request, "portal/province.html", {
        "area": area, "cards": figures.plan_cards(plans), "budget": budget, "charts": _charts(budget, Scope(area, None)),
        "consultation": figures.consultation_record(public)})


def organisation(request, key):
    org = get_object_or_404(Organisation.objects.select_related("area"), key=key)
    plans = figures.plans_in_force(owner=org)
    province = org.area.province() if org.area_id else None
    budget = budgetview.area_budget(province, owner=org) if province is not None else None
    return render(request, "portal/organisation.html", {
        "org": org, "province": province, "cards": figures.plan_cards(plans), "budget": budget,
        "charts": _charts(budget, Scope(province, org)) if budget else [],
        "consultation": figures.consultation_record(org.plans.filter(public_q()))})


@dataclass
class Scope:
    """Whose figures a chart shows: a province, or one organisation's plans read against its province."""
    area: Area | None
    owner: Organisation | None

    @property
    def title(self) -> str:
        return self.owner.name_th if self.owner else self.area.display_name

    def url(self, view: str, name: str) -> str:
        if self.owner:
            return reverse(f"portal:org_{view}", args=[self.owner.key, name])
        return reverse(f"portal:{view}", args=[self.area.code, name])

    @property
    def page_url(self) -> str:
        if self.owner:
            return reverse("portal:organisation", args=[self.owner.key])
        return reverse("portal:province", args=[self.area.code])


def _charts(budget, scope: Scope) -> list[dict]:
    return [{"name": name, "title": title, "groups": groups, "option": option,
             "embed_url": scope.url("chart", name), "csv_url": scope.url("chart_csv", name)}
            for name, title, groups, option in figures.charts(budget)]


def _scope(code=None, key=None) -> Scope:
    if key is None:
        return Scope(_province(code), None)
    org = get_object_or_404(Organisation.objects.select_related("area"), key=key)
    if not org.area_id or org.area.province() is None:
        raise Http404("หน่วยงานนี้ยังไม่ได้ระบุพื้นที่ จึงไม่มีแผนภูมิงบประมาณ")
    return Scope(org.area.province(), org)


def _chart(scope: Scope, name):
    if name not in figures.BUDGET_CHARTS:
        raise Http404("ไม่มีแผนภูมินี้")
    return figures.budget_groups(scope.area, name, owner=scope.owner)


@xframe_options_exempt
def chart_embed(request, name, code=None, key=None):
    """One chart with its table, for other sites to embed (<iframe src=…>)."""
    scope = _scope(code, key)
    title, groups, total = _chart(scope, name)
    response = render(request, "portal/embed.html", {"scope": scope, "title": title, "groups": groups,
                                                     "total": total, "name": name,
                                                     "option": figures.chart_option(title, groups)})
    response["Content-Security-Policy"] = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
    return response


def chart_csv(request, name, code=None, key=None):
    scope = _scope(code, key)
    title, groups, total = _chart(scope, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="oneplan-{key or code}-{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["รายการ", "งบประมาณ (บาท)", "จำนวนโครงการ"])
    for g in groups:
        writer.writerow(csv_row([g.label, f"{g.amount:.2f}", g.projects]))
    writer.writerow(csv_row(["รวม", f"{total:.2f}", ""]))
    return response
