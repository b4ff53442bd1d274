"""Clinic Center figures on other apps' pages, one tag each (the portal, a project page, a consultation round)."""
from django import template

register = template.Library()


@register.inclusion_tag("clinic/open/_portal.html")
def clinic_province_figures(area):
    from oneplan.clinic import dashboards

    return {"area": area, "clinic": dashboards.figures(dashboards.province_scope(area))}


@register.inclusion_tag("clinic/open/_project_reports.html")
def clinic_project_reports(element):
    from oneplan.clinic.planning import reports_of_project

    return {"reports": list(reports_of_project(element)[:100]) if element.kind == "project" else []}


@register.inclusion_tag("clinic/open/_round_problems.html")
def clinic_round_problems(round_):
    from oneplan.clinic.planning import problems_of_plan_area

    return {"groups": problems_of_plan_area(round_.plan)}
