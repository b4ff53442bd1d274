"""The offline lexical matcher: character n-gram TF-IDF plus word-level BM25 on Thai word tokens.

Pure functions over plain documents (no database) so the benchmark, the CLI and the web views all
score the same way. Thai has no spaces between words, so the two signals complement each other:
character n-grams survive segmentation mistakes and spelling variants (สาธารณะสุข / สาธารณสุข),
word BM25 rewards whole distinctive words (ยาเสพติด, ขยะ) and gives readable reasons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from oneplan.core.thai import normalise, search_tokens

MAX_CHARS = 3000          # very long input: the first pages say what it is about
BM25_K1, BM25_B = 1.2, 0.5
CHAR_WEIGHT = 0.5         # share of the character signal in the fused score
_THAI = re.compile(r"[\u0e01-\u0e4f]")
# Words every plan uses; they say nothing about which framework element fits.
_DOMAIN_STOPWORDS = {
    "โครงการ", "ส่งเสริม", "พัฒนา", "สนับสนุน", "กิจกรรม", "ดำเนินการ", "ดำเนินงาน", "จัด", "จัดทำ", "หมู่",
    "หมู่ที่", "บ้าน", "ตำบล", "อำเภอ", "จังหวัด", "ร้อยละ", "จำนวน", "ได้รับ", "เพิ่มขึ้น", "ลดลง", "ระดับ",
    "ประจำปี", "งบประมาณ", "ภายใน", "เขต", "พื้นที่", "ประชาชน", "เช่น", "ได้แก่", "ต่างๆ", "ต่าง", "ๆ",
    "มี", "เป็น", "ให้", "ที่", "และ", "การ", "ความ", "ของ", "ใน", "กับ", "เพื่อ", "โดย", "สู่", "ด้าน",
    "อย่าง", "ทุก", "ทั้ง", "คน", "ปี", "ผู้", "เรื่อง", "สร้าง", "เสริมสร้าง", "ยกระดับ", "ปรับปรุง",
}


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) | _DOMAIN_STOPWORDS


def clean(text: str | None) -> str:
    """Normalised text (Thai digits → Arabic, spacing, เเ → แ), cut to a sensible length."""
    return normalise(text)[:MAX_CHARS]


def content_tokens(text: str) -> list[str]:
    """Word tokens that carry meaning: no stopwords, punctuation, numbers or single letters."""
    stop = stopwords()
    return [t for t in search_tokens(text) if len(t) > 1 and t not in stop and not t.isdigit()
            and any(ch.isalpha() for ch in t)]


@lru_cache(maxsize=50_000)
def cached_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a framework element's text: segmenting long Thai descriptions is the slow part of
    fitting an index, and the same texts recur across depths and rebuilds."""
    return tuple(content_tokens(clean(text)))


def has_thai(text: str) -> bool:
    return bool(_THAI.search(text or ""))


@dataclass
class Doc:
    """One candidate target: an element with the text that describes it (its own title and
    description, plus its sub-elements' text so a master plan is found through its sub-plans)."""

    element_id: int
    code: str
    title: str
    text: str
    tokens: set[str] = field(default_factory=set)


class LexicalIndex:
    """Fitted once per framework edition and depth; scoring is a pair of sparse products."""

    def __init__(self, docs: list[Doc], doc_tokens: list[list[str]] | None = None):
        self.docs = docs
        texts = [clean(d.text) for d in docs]
        self.char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1,
                                        dtype=np.float32)
        self.char_matrix = self.char_vec.fit_transform(texts).T.tocsr()      # terms × docs
        doc_tokens = [content_tokens(t) for t in texts] if doc_tokens is None else doc_tokens
        for d, toks in zip(docs, doc_tokens, strict=True):
            d.tokens = set(toks)
        self.vocab = {t: i for i, t in enumerate(sorted({t for toks in doc_tokens for t in toks}))}
        self.bm25_matrix = self._bm25(doc_tokens)                              # terms × docs

    def _bm25(self, doc_tokens: list[list[str]]) -> sparse.csr_matrix:
        n_docs = len(doc_tokens)
        lengths = np.array([max(len(t), 1) for t in doc_tokens], dtype=np.float32)
        avg = float(lengths.mean()) if n_docs else 1.0
        rows, cols, tfs = [], [], []
        for j, toks in enumerate(doc_tokens):
            counts: dict[str, int] = {}
            for t in toks:
                counts[t] = counts.get(t, 0) + 1
            for t, c in counts.items():
                rows.append(self.vocab[t])
                cols.append(j)
                tfs.append(c)
        tf = np.array(tfs, dtype=np.float32)
        df = np.bincount(rows, minlength=len(self.vocab)).astype(np.float32)
        idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[cols] / avg)
        weights = idf[rows] * tf * (BM25_K1 + 1) / (tf + norm)
        self.idf = idf
        return sparse.csr_matrix((weights, (rows, cols)), shape=(len(self.vocab), n_docs))

    def query_tokens(self, texts: list[str]) -> list[list[str]]:
        return [content_tokens(t) for t in texts]

    def score(self, texts: list[str], tokens: list[list[str]] | None = None) -> np.ndarray:
        """Fused scores in 0..1, one row per text, one column per document."""
        texts = [clean(t) for t in texts]
        tokens = self.query_tokens(texts) if tokens is None else tokens
        char = np.asarray((self.char_vec.transform(texts) @ self.char_matrix).todense())
        q = self._token_matrix(tokens)
        bm = np.asarray((q @ self.bm25_matrix).todense())
        # Absolute evidence, saturated into 0..1: cosine of ~0.35 against a rich description is
        # already a strong character match; BM25 ~6 means several distinctive words in common.
        char_part = np.minimum(char / 0.35, 1.0)
        bm_part = bm / (bm + 6.0)
        return CHAR_WEIGHT * char_part + (1 - CHAR_WEIGHT) * bm_part

    def char_only(self, texts: list[str]) -> np.ndarray:
        """The plain character n-gram baseline (for the benchmark)."""
        return np.asarray((self.char_vec.transform([clean(t) for t in texts]) @ self.char_matrix).todense())

    def _token_matrix(self, tokens: list[list[str]]) -> sparse.csr_matrix:
        rows, cols = [], []
        for i, toks in enumerate(tokens):
            for t in set(toks):
                j = self.vocab.get(t)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        data = np.ones(len(rows), dtype=np.float32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(tokens), len(self.vocab)))

    def reasons(self, tokens: list[str], doc: Doc, query: str = "", limit: int = 5) -> list[str]:
        """The query's words found in the document, adjacent ones joined into phrases, the most
        distinctive first."""
        phrases, current = [], []
        for t in tokens:
            if current and current[-1].endswith(t):
                continue  # the stem search_tokens adds after 'การ…'/'ความ…'
            if t in doc.tokens:
                current.append(t)
            elif current:
                phrases.append(current)
                current = []
        if current:
            phrases.append(current)
        weight = {p: sum(float(self.idf[self.vocab[t]]) for t in p) for p in map(tuple, phrases)}
        seen, out, written = set(), [], clean(query)
        for p in sorted(weight, key=weight.get, reverse=True):
            # a phrase only if the words stand together in what the user wrote
            text = "".join(p) if "".join(p) in written else " ".join(p)
            if text not in seen:
                seen.add(text)
                out.append(text)
        return out[:limit]
