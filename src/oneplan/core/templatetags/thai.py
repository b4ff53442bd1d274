"""Template filters for Thai presentation: พ.ศ. dates and years, amounts, fiscal years."""
from django import template

from oneplan.core import thai

register = template.Library()


@register.filter
def be_date(value, style=""):
    """A date in Thai with the Buddhist-era year; `|be_date:"short"` for abbreviated months."""
    if not value:
        return ""
    from django.utils import timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return thai.format_date(value, abbr=(style == "short"))


@register.filter
def be_datetime(value):
    if not value:
        return ""
    from django.utils import timezone

    value = timezone.localtime(value)
    return f"{thai.format_date(value, abbr=True)} {value:%H:%M} น."


@register.filter
def baht(value):
    return thai.format_amount(value)


@register.filter
def fiscal_year(value):
    return thai.fiscal_year(value) if value else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
