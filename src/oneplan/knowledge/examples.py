"""“How others wrote this”: elements of the same kind in other plans' editions in force, ranked by
the linkage engine's lexical matcher (character n-gram TF-IDF + word BM25 on Thai tokens).

Only editions in force (plans.editions.in_force_q) are candidates: never a draft, a plan before a
committee, or a non-public plan of another organisation, whoever asks. The element's own line of
editions is left out (its older self is not an example)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Max

from oneplan.linkage.engine import element_text
from oneplan.linkage.lexical import Doc, LexicalIndex, cached_tokens, content_tokens, has_thai
from oneplan.plans.editions import in_force_q, line_of
from oneplan.plans.models import Element, ElementKind

MIN_SCORE = 0.08      # below this the "example" shares no distinctive word: better nothing


@dataclass
class Example:
    element: Element
    score: float
    matched: list[str]
    kpis: list = field(default_factory=list)         # KPI elements under it (or itself), with targets
    links: list = field(default_factory=list)        # its links upward
    results: list = field(default_factory=list)      # approved KPI results


def _candidates(kind: str):
    return (Element.objects.filter(in_force_q(prefix="plan__"), kind=kind, plan__framework="")
            .only("id", "plan_id", "kind", "code", "title_th", "description_th"))


def _signature(kind: str) -> tuple:
    agg = _candidates(kind).aggregate(n=Max("id"), t=Max("updated_at"))
    return kind, _candidates(kind).count(), agg["n"], agg["t"]


@lru_cache(maxsize=16)
def _index(signature: tuple) -> tuple[LexicalIndex, list[int], list[int]] | None:
    elements = list(_candidates(signature[0]).order_by("id"))
    if not elements:
        return None
    docs = [Doc(e.pk, e.code, e.title_th, f"{e.title_th} {e.description_th}") for e in elements]
    return (LexicalIndex(docs, [list(cached_tokens(d.text)) for d in docs]), [e.pk for e in elements],
            [e.plan_id for e in elements])


def similar(text: str, kind: str, *, exclude_plans=(), top: int = 5) -> list[Example]:
    """Examples for a text being written as an element of `kind`."""
    if not has_thai(text) and not content_tokens(text or ""):
        return []
    built = _index(_signature(kind))
    if built is None:
        return []
    index, ids, plan_ids = built
    tokens = content_tokens(text)
    scores = index.score([text], [tokens])[0]
    skip = set(exclude_plans)
    order = [j for j in scores.argsort()[::-1] if plan_ids[j] not in skip and scores[j] >= MIN_SCORE][:top]
    by_id = Element.objects.select_related("plan", "plan__owner").in_bulk([ids[j] for j in order])
    # re-checked on the rows themselves: the cached index may be older than a status change
    public = set(Element.objects.filter(in_force_q(prefix="plan__"), pk__in=by_id).values_list("pk", flat=True))
    out = [Example(by_id[ids[j]], float(scores[j]), index.reasons(tokens, index.docs[j], text))
           for j in order if ids[j] in public]
    for ex in out:
        _details(ex)
    return out


def for_element(element: Element, top: int = 5) -> list[Example]:
    text = element_text(element)
    return similar(text, element.kind, exclude_plans=[p.pk for p in line_of(element.plan)], top=top)


def _details(ex: Example):
    from oneplan.monitoring.models import KPIResult

    e = ex.element
    kpi_elements = [e] if e.kind == ElementKind.KPI else list(
        e.children.filter(kind=ElementKind.KPI).order_by("order")[:5])
    ex.kpis = list(Element.objects.filter(pk__in=[k.pk for k in kpi_elements]).select_related("kpi")
                   .prefetch_related("kpi__targets"))
    ex.links = list(e.links_up.select_related("target__plan")[:5])
    ex.results = list(KPIResult.objects.filter(kpi__element__in=kpi_elements, approved_by__isnull=False)
                      .select_related("round", "kpi__element").order_by("-round__fiscal_year")[:5])
