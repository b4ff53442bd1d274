"""Thai full-text search over plan elements: the query is word-segmented the same way element
titles are (pythainlp), and every query word must match a whole word of the element."""
from django.db.models import Q

from oneplan.core.thai import normalise, tokenize
from oneplan.plans.models import Element


def search_elements(query: str, *, plans=None, kind: str = "", area=None, organisation=None):
    words = [w for w in tokenize(query) if w.strip()]
    # a nominalised query word ('การท่องเที่ยว') is indexed whole, so it matches as written
    if not words:
        return Element.objects.none(), []
    qs = Element.objects.select_related("plan", "plan__owner")
    condition = Q()
    for w in words:
        # a whole token, or a substring for Latin words/codes that the segmenter keeps whole
        condition &= Q(search_text__contains=f" {w} ") | Q(code__iexact=w)
    qs = qs.filter(condition)
    if plans is not None:
        qs = qs.filter(plan__in=plans)
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(Q(plan__area=area) | Q(plan__area__parent=area) | Q(plan__area__parent__parent=area))
    if organisation is not None:
        qs = qs.filter(plan__owner=organisation)
    return qs.order_by("plan__kind", "plan__title_th", "order"), words


def highlight_terms(query: str) -> list[str]:
    return [w for w in tokenize(query) if len(w) > 1] or [normalise(query)]
