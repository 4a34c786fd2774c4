"""Sentences against their tables on pages 03 and 04 (issue 12, item 3), on the sample data.

Each sentence a page writes from its numbers is read back and compared with the row of the
table it comes from: the numbers (as rounded on the page) and the words ("went up", "within
what chance variation could produce"). Page 01's change sentences are checked the same way in
tests/test_trends_page.py; the index's key findings in tests/test_briefing_sample.py.
"""

from __future__ import annotations

import re

import pytest

from fixtures.small_data.inputs import SAMPLE
from salto_analysis import cohorts, drug_use, io, params

NUMBER = r"([+−-]?\d+(?:\.\d+)?)"


def _signed(text: str) -> float:
    return float(text.replace("−", "-").replace("+", ""))


@pytest.fixture(scope="module")
def policy():
    return params.policy(5, 0.95, "en")


def test_the_concentration_note_quotes_the_gini_table(policy):
    page = cohorts.build(io.load_register(io.find_input(SAMPLE, "register")), year=2025, policy=policy)
    gini = page["gini"].iloc[0]
    note = page.concentration_note()
    observed = re.search(rf"the observed one is {NUMBER} \(95% CI {NUMBER}–{NUMBER}\)", note)
    assert observed, note
    for text, value in zip(observed.groups(), (gini["estimate"], gini["ci_low"], gini["ci_high"])):
        assert abs(float(text) - value) <= 0.005 + 1e-9, (text, value)


def test_every_drug_use_change_sentence_says_what_its_table_row_says(policy):
    survey = io.load_survey(io.find_input(SAMPLE, "survey"))
    frame = drug_use.prepare(survey, indicators=["drunk", "cannabis", "cocaine"], waves=[], by=["grade", "sex"])
    page = drug_use.build(frame, survey, policy, ci_method="korn-graubard")
    table = page["change"]
    lines = page.markdown("change_sentences").data.splitlines()
    shown = table[table["flag"] != "suppressed"]
    assert len(shown) > 0 and len(lines) == len(table)  # one line per row, in table order
    checked = 0
    for _, row in shown.iterrows():
        # the line of this row: indicator, school level and sex in words, in table order
        line = lines[list(table.index).index(row.name)]
        moved = re.search(rf"went (up|down) {NUMBER} percentage points", line)
        within = re.search(rf"The change \({NUMBER} percentage points\)", line)
        ci = re.search(rf"CI {NUMBER} to {NUMBER} percentage points", line)
        assert (moved or within) and ci, line
        said = _signed(within.group(1)) if within else (1 if moved.group(1) == "up" else -1) * _signed(moved.group(2))
        texts = (within.group(1) if within else moved.group(2), ci.group(1), ci.group(2))
        for text, value, limit in zip(texts, (said, _signed(ci.group(1)), _signed(ci.group(2))),
                                      (row["estimate"], row["ci_low"], row["ci_high"])):
            decimals = len(text.split(".")[1]) if "." in text else 0
            assert abs(value - 100 * limit) <= 0.5 * 10 ** -decimals + 1e-9, (line, limit)
        # the words follow the interval: "went up/down" only when it excludes no change
        excludes = row["ci_low"] > 0 or row["ci_high"] < 0
        assert bool(moved) == excludes, line
        checked += 1
    assert checked == len(shown)
