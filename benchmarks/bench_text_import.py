"""Text import on plan texts it was not written for: elements found / expected per kind and per file.

The corpus (src/oneplan/transfer/tests/text_corpus/) holds Thai plan texts in many styles — news of
hearings, plan summaries, announcements, tables pasted from Word, .docx with tables, TIS-620 — each with
hand-written expected elements. "extra" counts elements of a kind the parser found that the file does
not have (false positives). Files marked held out were written after the parser, to see how it does on
unseen styles. Parsing only: no database is touched."""
import time

from benchmarks.table import print_table


def run():
    import json

    from oneplan.transfer.tests.text_corpus import KINDS, corpus_files, evaluate, expected_path

    files = corpus_files()
    started = time.perf_counter()
    scores = [evaluate(path) for path in files]
    elapsed = time.perf_counter() - started
    held_out = {p.name for p in files if json.loads(expected_path(p).read_text("utf-8")).get("held_out")}

    print(f"\n{len(files)} files ({len(held_out)} held out), parsed in {elapsed:.2f} s\n")
    rows = []
    for kind in KINDS:
        expected = sum(s.kinds[kind].expected for s in scores)
        found = sum(s.kinds[kind].found for s in scores)
        extra = sum(s.kinds[kind].extra for s in scores)
        rows.append([kind, f"{found} / {expected}", _pct(found, expected), extra])
    targets = sum(s.targets_read for s in scores), sum(s.targets_expected for s in scores)
    rows.append(["KPI targets", f"{targets[0]} / {targets[1]}", _pct(*targets), "-"])
    provinces = sum(s.province_found == s.province_expected for s in scores)
    rows.append(["province", f"{provinces} / {len(scores)}", _pct(provinces, len(scores)), "-"])
    print_table(["kind", "found / expected", "recall", "extra"], rows)

    print()
    file_rows = []
    for s in scores:
        expected = sum(k.expected for k in s.kinds.values())
        found = sum(k.found for k in s.kinds.values())
        missing = "; ".join(f"{kind}: {t[:30]}" for kind, k in s.kinds.items() for t in k.missing)
        file_rows.append([s.name + (" (held out)" if s.name in held_out else ""), f"{found} / {expected}",
                          sum(k.extra for k in s.kinds.values()), f"{s.targets_read} / {s.targets_expected}",
                          s.province_found or "-", missing or "-"])
    print_table(["file", "elements", "extra", "KPI targets", "province", "missing"], file_rows)


def _pct(found, expected):
    return f"{100 * found / expected:.0f}%" if expected else "-"
