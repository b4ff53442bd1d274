"""Comments grouped for the planners: by element and strategic issue, by sector, by the framework
target the linkage engine suggests, and near-duplicates clustered (character n-gram TF-IDF)."""
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from oneplan.core.thai import normalise
from oneplan.plans.models import Element

from .models import Comment, Sector

UNGROUPED = "ยังไม่ได้จัดกลุ่ม"
DUPLICATE_THRESHOLD = 0.6
MAX_CLUSTER_COMMENTS = 3000   # the similarity matrix is n × n


@dataclass
class Group:
    key: str
    label: str
    element: Element | None = None
    comments: list = field(default_factory=list)

    @property
    def sector_counts(self) -> list[tuple[str, int]]:
        counts = Counter(c.sector_label for c in self.comments)
        return sorted(counts.items(), key=lambda kv: -kv[1])


def issue_of(element: Element | None, by_pk: dict) -> Element | None:
    """The strategic issue an element sits under (itself if it is one), from an in-memory index."""
    node = element
    while node is not None:
        if node.kind == "issue":
            return node
        node = by_pk.get(node.parent_id)
    return None


def by_element(comments, plan) -> list[Group]:
    """Groups per strategic issue, each listing its comments ordered by element; comments on the
    plan as a whole or on elements outside any issue come last."""
    by_pk = {e.pk: e for e in plan.elements.all()}
    groups: OrderedDict[str, Group] = OrderedDict()
    for issue in sorted((e for e in by_pk.values() if e.kind == "issue"), key=lambda e: (e.order, e.pk)):
        groups[f"issue-{issue.pk}"] = Group(f"issue-{issue.pk}", f"{issue.code} {issue.title_th}", issue)
    rest = Group("other", _("The plan as a whole and parts outside the strategic issues"))
    for c in comments:
        issue = issue_of(by_pk.get(c.element_id), by_pk)
        (groups[f"issue-{issue.pk}"] if issue else rest).comments.append(c)
    for g in groups.values():
        g.comments.sort(key=lambda c: (by_pk[c.element_id].order if c.element_id in by_pk else -1, c.created_at))
    return [g for g in [*groups.values(), rest] if g.comments]


def by_sector(comments) -> list[Group]:
    groups = OrderedDict((s.value, Group(s.value, str(s.label))) for s in Sector)
    groups[""] = Group("", _("Several sectors (breakout group)"))
    for c in comments:
        groups[c.sector].comments.append(c)
    return [g for g in groups.values() if g.comments]


def _suggest_top(text: str):
    """The linkage engine's best master-plan suggestion, or None. The engine is another app's
    work in progress: without it the comments stay ungrouped instead of failing the page."""
    try:
        from oneplan.linkage.engine import suggest
    except ImportError:
        return None
    found = suggest(text, framework="master-plans", top=1, depth="top")
    return found[0] if found and not found[0].low_confidence else None


def by_framework_link(comments) -> list[Group]:
    groups: OrderedDict[str, Group] = OrderedDict()
    ungrouped = Group("ungrouped", UNGROUPED)
    for c in comments:
        key = f"consultation:suggest:{c.pk}:{zlib.crc32(c.text.encode())}"
        hit = cache.get(key)
        if hit is None:
            s = _suggest_top(f"{c.project_title} {c.text}")
            hit = (s.code, s.title) if s is not None else ("", "")
            cache.set(key, hit, 3600)
        code, title = hit
        if not code:
            ungrouped.comments.append(c)
            continue
        groups.setdefault(code, Group(code, f"{code} {title}")).comments.append(c)
    ordered = sorted(groups.values(), key=lambda g: -len(g.comments))
    return ordered + ([ungrouped] if ungrouped.comments else [])


def duplicate_clusters(comments, threshold: float = DUPLICATE_THRESHOLD) -> list[list[Comment]]:
    """Clusters (two or more) of near-identical comments: cosine similarity of character 2–4-gram
    TF-IDF vectors (works for Thai, which has no spaces between words), joined transitively."""
    comments = list(comments)[:MAX_CLUSTER_COMMENTS]
    texts = [normalise(f"{c.project_title} {c.text}") for c in comments]
    if len(texts) < 2:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    try:
        matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform(texts)
    except ValueError:  # nothing but punctuation
        return []
    similar = cosine_similarity(matrix) >= threshold
    parent = list(range(len(texts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*similar.nonzero(), strict=True):
        if i < j:
            parent[root(j)] = root(i)
    clusters: dict[int, list] = {}
    for i, c in enumerate(comments):
        clusters.setdefault(root(i), []).append(c)
    return sorted((cl for cl in clusters.values() if len(cl) > 1), key=lambda cl: -len(cl))
