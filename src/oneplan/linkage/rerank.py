"""Learning from confirmed links: a classifier trained on the texts of elements people linked to each
target re-ranks the lexical suggestions. Its gain is measured on held-out links (evaluate_gain),
never assumed."""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .lexical import clean

MIN_LINKS = 30          # below this the model mostly memorises a handful of links
BLEND = 0.35            # share of the learned probability in the final score


class Reranker:
    """Nearest class centroid on character n-gram TF-IDF, turned into probabilities with a softmax.
    A multinomial logistic regression gave the same held-out gain on the gold set but took ~10 s to
    train against ~10 ms here, and training happens inside a web request when links change."""

    TEMPERATURE = 12.0

    def __init__(self, vectorizer, centroids, classes, n_candidates: int):
        self.vectorizer, self.centroids, self.classes, self.n_candidates = vectorizer, centroids, classes, n_candidates

    @classmethod
    def train(cls, texts: list[str], labels: list[int], n_candidates: int) -> Reranker | None:
        if len(set(labels)) < 2:
            return None
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
        x = vectorizer.fit_transform([clean(t) for t in texts])
        classes = np.array(sorted(set(labels)))
        y = np.array(labels)
        centroids = np.vstack([np.asarray(x[y == c].mean(axis=0)) for c in classes])
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-9)
        return cls(vectorizer, centroids.T, classes, n_candidates)

    def proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities over all candidates (0 for targets nobody has linked to yet)."""
        sim = np.asarray(self.vectorizer.transform([clean(t) for t in texts]) @ self.centroids)
        e = np.exp(self.TEMPERATURE * (sim - sim.max(axis=1, keepdims=True)))
        full = np.zeros((len(texts), self.n_candidates), dtype=np.float64)
        full[:, self.classes] = e / e.sum(axis=1, keepdims=True)
        return full

    def blend(self, base: np.ndarray, texts: list[str]) -> np.ndarray:
        return (1 - BLEND) * base + BLEND * self.proba(texts)


@dataclass
class Gain:
    n_train: int
    n_test: int
    base_top1: float
    learned_top1: float
    base_top3: float
    learned_top3: float

    @property
    def top1_gain(self) -> float:
        return self.learned_top1 - self.base_top1


def _accuracy(scores: np.ndarray, gold: list[set[int]], k: int) -> float:
    if not gold:
        return 0.0
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return sum(bool(set(row) & g) for row, g in zip(top.tolist(), gold, strict=True)) / len(gold)


def evaluate_gain(engine, texts: list[str], gold: list[set[int]], test_share: float = 0.3,
                  seed: int = 13) -> Gain | None:
    """Train on a random part of (text, right candidates) pairs, compare top-1/top-3 on the rest
    with and without the learned model. `engine` is an engine.Engine."""
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * (1 - test_share))
    train, test = order[:cut], order[cut:]
    train_texts = [texts[i] for i in train for _ in gold[i]]
    train_labels = [label for i in train for label in sorted(gold[i])]
    model = Reranker.train(train_texts, train_labels, len(engine.candidates))
    if model is None or not test:
        return None
    test_texts, test_gold = [texts[i] for i in test], [gold[i] for i in test]
    base, _ = engine.scores(test_texts, learned=False)
    learned = model.blend(base, test_texts)
    return Gain(len(train), len(test), _accuracy(base, test_gold, 1), _accuracy(learned, test_gold, 1),
                _accuracy(base, test_gold, 3), _accuracy(learned, test_gold, 3))


def confirmed_link_gain(plan, depth: str = "top") -> Gain | None:
    """The gain on a plan's real confirmed links (held-out 30 %), or None if there are too few."""
    from .engine import engine_for

    engine = engine_for(plan, depth)
    texts, labels = engine.training_pairs()
    if len(texts) < MIN_LINKS:
        return None
    grouped: dict[str, set[int]] = {}
    for t, label in zip(texts, labels, strict=True):
        grouped.setdefault(t, set()).add(label)
    return evaluate_gain(engine, list(grouped), list(grouped.values()))
