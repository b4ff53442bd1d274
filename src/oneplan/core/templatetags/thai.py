"""Template filters for Thai presentation: พ.ศ. dates and years, amounts, fiscal years."""
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_noop

from oneplan.core import thai

register = template.Library()

# Overridden in core's catalogue (LOCALE_PATHS comes before Django's): Django's Thai for the "unknown"
# choice of yes/no/unknown selects is ไม่รู้, too colloquial for a form. Named here so makemessages keeps it.
gettext_noop("Unknown")


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


@register.filter
def num(value):
    """A KPI value or count for reading: thousands separators and only the decimals it has
    (384000 → 384,000; Decimal("12.50") → 12.5), exact for Decimal. Text that is not a number
    (a target such as "ร้อยละ 80") is shown as it is."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral():
        return f"{number.to_integral():,.0f}"
    return f"{number.normalize():,f}"


@register.filter
def element_kind(code):
    """The label of an element kind code ("project" → โครงการ) for pages that hold the bare code."""
    from oneplan.plans.models import ElementKind

    try:
        return ElementKind(code).label
    except ValueError:
        return code
