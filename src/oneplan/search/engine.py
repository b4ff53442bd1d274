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


PLACE_RESULTS = 8


def all_words_q(fields, words: list[str]) -> Q:
    """Every query word in one of the fields (names are short: a substring match is what people expect)."""
    condition = Q()
    for w in words:
        either = Q()
        for f in fields:
            either |= Q(**{f"{f}__icontains": w})
        condition &= either
    return condition


def search_places(query: str, *, plans) -> dict[str, list]:
    """Plans, organisations and areas whose names hold every query word: shown above the elements, so
    "ภูเก็ต" finds the province, its plans and its organisations first. Plans only among `plans` (what
    the user may see). Exact names first, then Thai dictionary order."""
    from oneplan.areas.models import Area, AreaKind
    from oneplan.core.thai import thai_sort_key
    from oneplan.organisations.models import Organisation
    from oneplan.plans.models.plans import PLAN_LEVEL

    words = [normalise(w) for w in query.split() if w.strip()]
    if not words:
        return {"plans": [], "organisations": [], "areas": []}
    exact = normalise(query)
    found_plans = list(plans.filter(all_words_q(("title_normalised", "title_en"), words))
                       .select_related("owner")[:200])
    found_plans.sort(key=lambda p: (PLAN_LEVEL.get(p.kind, 3), thai_sort_key(p.title_th)))
    orgs = list(Organisation.objects.filter(all_words_q(("name_th", "name_en"), words)).select_related("area")[:200])
    orgs.sort(key=lambda o: (normalise(o.name_th) != exact, thai_sort_key(o.name_th)))
    order = {k: i for i, k in enumerate((AreaKind.PROVINCE, AreaKind.REGION, AreaKind.CLUSTER, AreaKind.DISTRICT,
                                         AreaKind.SUBDISTRICT))}
    areas = list(Area.objects.filter(all_words_q(("name_th", "name_en"), words)).select_related("parent")[:200])
    areas.sort(key=lambda a: (normalise(a.name_th) != exact, order.get(a.kind, 9), thai_sort_key(a.name_th)))
    return {"plans": found_plans[:PLACE_RESULTS], "organisations": orgs[:PLACE_RESULTS], "areas": areas[:PLACE_RESULTS]}
