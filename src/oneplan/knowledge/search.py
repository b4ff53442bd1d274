"""Search the decisions and reasons of the whole system in Thai: committee resolutions and return
reasons, edition reasons (เหตุผลความจำเป็น), the planners' answers to hearing comments, and the
guidance and workshops. The query is word-segmented like the element search (core.thai.tokenize)
and every word must appear. Each source is narrowed to what the reader may see."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from oneplan.core.thai import normalise, tokenize
from oneplan.plans.visibility import visible_plans
from oneplan.search.engine import all_words_q

LIMIT = 50


@dataclass
class Hit:
    source: str        # "resolution", "edition", "answer", "guidance", "workshop"
    title: str
    text: str
    url: str
    when: object = None


def words(query: str) -> list[str]:
    return [w for w in tokenize(normalise(query)) if w.strip() and len(w) > 1] or (
        [normalise(query)] if normalise(query) else [])


def _all(fields: list[str], ws: list[str]) -> Q:
    return all_words_q(fields, ws)   # the search app's rule: every word in one of the fields


def search(query: str, user) -> list[Hit]:
    ws = words(query)
    if not ws:
        return []
    return [*_resolutions(ws, user), *_editions(ws, user), *_answers(ws, user), *_guidance(ws), *_workshops(ws)]


def _resolutions(ws, user) -> list[Hit]:
    from oneplan.governance.models import Transition

    rows = (Transition.objects.filter(_all(["resolution", "reason"], ws), plan__in=visible_plans(user))
            .select_related("plan", "committee").order_by("-at")[:LIMIT * 2])
    # workflow records are not public even for a published plan: governance.view_history decides
    return [Hit("resolution", f"{t.plan.title_th} · {t.committee or t.action}", t.resolution or t.reason,
                t.plan.get_absolute_url(), t.at)
            for t in rows if user.has_perm("governance.view_history", t.plan)][:LIMIT]


def _editions(ws, user) -> list[Hit]:
    rows = visible_plans(user).filter(_all(["edition_reason"], ws)).order_by("-created_at")[:LIMIT]
    return [Hit("edition", f"{p.title_th} ({p.edition_label})", p.edition_reason, p.get_absolute_url(),
                p.created_at) for p in rows]


def _answers(ws, user) -> list[Hit]:
    from oneplan.consultation.models import Answer, RoundStatus

    rows = (Answer.objects.filter(_all(["text", "change_made"], ws), comment__hidden=False,
                                  comment__round__plan__in=visible_plans(user))
            .exclude(comment__round__status=RoundStatus.PLANNED)
            .select_related("comment__round").order_by("-answered_at")[:LIMIT])
    return [Hit("answer", a.comment.round.title, f"{a.get_outcome_display()}: {a.text} {a.change_made}".strip(),
                a.comment.round.get_absolute_url(), a.answered_at) for a in rows]


def _guidance(ws) -> list[Hit]:
    from django.urls import reverse

    from .models import GuidanceStatus, GuidanceVersion

    rows = GuidanceVersion.objects.filter(_all(["title", "explanation", "rule_reference", "checklist"], ws),
                                          status=GuidanceStatus.PUBLISHED)[:LIMIT]
    return [Hit("guidance", str(g), g.explanation, reverse("knowledge:guidance", args=[g.pk]), g.effective_from)
            for g in rows]


def _workshops(ws) -> list[Hit]:
    from .models import Workshop

    rows = Workshop.objects.filter(_all(["title", "summary", "speakers", "organiser_text"], ws))[:LIMIT]
    return [Hit("workshop", w.title, w.summary, w.get_absolute_url(), w.held_on) for w in rows]
