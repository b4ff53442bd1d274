"""The text import on plan texts written in many styles (text_corpus/): every vision, mission, goal and
issue a planner would list is found, and nearly every objective, strategy and KPI; KPI targets are read
from the wording; the province comes from the text. Expectations are hand-written per file."""
import pytest

from .text_corpus import KINDS, corpus_files, evaluate

# Per kind, the share of expected titles that must be found in each file. The top of a plan is
# what a planner checks first and is never allowed to go missing; lists further down may lose an item.
RECALL = {"vision": 1.0, "mission": 1.0, "ultimate_goal": 1.0, "issue": 1.0,
          "objective": 0.9, "strategy": 0.9, "kpi": 0.9}
# Found but not expected: a plan has one vision; a made-up mission or issue would be imported as real.
MAX_EXTRA = {"vision": 0, "mission": 0, "ultimate_goal": 0, "issue": 0, "objective": 1, "strategy": 1, "kpi": 1}
FILES = corpus_files()


def test_the_corpus_has_at_least_fifteen_texts_in_every_format():
    assert len(FILES) >= 15
    assert {p.suffix for p in FILES} >= {".txt", ".md", ".docx"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_expected_elements_are_found(path):
    score = evaluate(path)
    for kind in KINDS:
        s = score.kinds[kind]
        if s.expected:
            assert s.found / s.expected >= RECALL[kind], f"{kind}: missing {s.missing}"
        assert s.extra <= MAX_EXTRA[kind], f"{kind}: {s.extra} found that are not in the plan"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_kpi_targets_are_read_from_the_wording(path):
    score = evaluate(path)
    assert score.target_misses == [], "targets not read as expected"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_province_is_taken_from_the_text(path):
    score = evaluate(path)
    assert score.province_found == score.province_expected
