"""The text-import corpus: plan texts in many styles, each with the elements a planner reading it would
list (NAME.expected.json, written by hand). `evaluate` compares what the parser finds with them; the
corpus test and benchmarks/bench_text_import.py both use it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from oneplan.core.thai import normalise

HERE = Path(__file__).parent
KINDS = ("vision", "mission", "ultimate_goal", "issue", "objective", "strategy", "kpi")
SUFFIXES = (".txt", ".md", ".docx")


def corpus_files() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.suffix in SUFFIXES and expected_path(p).exists())


def expected_path(path: Path) -> Path:
    return path.with_name(path.stem + ".expected.json")


def title_key(title: str) -> str:
    """Titles compare after normalising (Thai digits, spaces, invisible characters), nothing looser."""
    return normalise(title).replace(" ", "").strip(".,;:")


@dataclass
class KindScore:
    expected: int = 0
    found: int = 0          # expected titles the parser found, as that kind
    extra: int = 0          # elements of that kind the parser found that are not expected
    missing: list[str] = field(default_factory=list)


@dataclass
class FileScore:
    name: str
    style: str
    kinds: dict[str, KindScore]
    targets_expected: int
    targets_read: int
    target_misses: list[str]
    province_expected: str
    province_found: str


def evaluate(path: Path) -> FileScore:
    from oneplan.transfer.text_import import parse_text

    spec = json.loads(expected_path(path).read_text("utf-8"))
    parsed = parse_text(path)
    kinds = {}
    for kind in KINDS:
        want = [title_key(t) for t in spec["expected"].get(kind, [])]
        got = [title_key(i.title) for i in parsed.items if i.kind == kind]
        score = KindScore(expected=len(want), found=sum(1 for w in want if w in got),
                          extra=sum(1 for g in got if g not in want))
        score.missing = [t for t in spec["expected"].get(kind, []) if title_key(t) not in got]
        kinds[kind] = score
    kpis = {title_key(i.title): i.target for i in parsed.items if i.kind == "kpi"}
    misses = [t["kpi"] for t in spec.get("kpi_targets", []) if not target_matches(kpis.get(title_key(t["kpi"])), t)]
    return FileScore(path.name, spec.get("style", ""), kinds, len(spec.get("kpi_targets", [])),
                     len(spec.get("kpi_targets", [])) - len(misses), misses, spec.get("province", ""),
                     parsed.province.name_th if parsed.province else "")


def target_matches(target, want: dict) -> bool:
    """The whole target as the expectation states it: value (or the value of each year), unit,
    direction, the year it is due and whether it holds every year."""
    if target is None:
        return False
    if "targets" in want:
        if {str(y): v for y, v in target.by_year.items()} != {y: Decimal(v) for y, v in want["targets"].items()}:
            return False
    elif target.value != Decimal(want["target"]):
        return False
    return (target.unit, target.direction, target.year, target.per_year) == (
        want["unit"], want["direction"], want.get("year"), want.get("per_year", False))
