"""The protection against the attacker's audit (issue 11): tables graded by the policy, written
as the briefing publishes them, and audited from the published files only.

Hypothesis draws small district × sex count tables with their margins (the lines a reader can
add up). After grading (primary, secondary and protection-interval suppression) the audit
must find no withheld count it can narrow below the protection level; graded without the
secondary step, a small count beside a shown cell and its shown total must be caught.
"""

import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salto_analysis.audit import audit, write_internal
from salto_analysis.briefing.publish import write_notebook_csvs
from salto_analysis.briefing.records import from_payload, to_payload
from salto_analysis.policy import Policy, SmallSampleWarning
from salto_analysis.reliability import grade
from salto_analysis.stats import count_table

SEXES = ("female", "male")


def _table(cells: list[list[int]]) -> pd.DataFrame:
    """District × sex counts with the sex totals, Oslo's row and Oslo's total (all published)."""
    rows = []
    for i, (f, m) in enumerate(cells):
        rows += [(f"d{i}", "female", f), (f"d{i}", "male", m), (f"d{i}", "total", f + m)]
    for j, sex in enumerate(SEXES):
        rows.append(("Oslo", sex, sum(c[j] for c in cells)))
    rows.append(("Oslo", "total", sum(map(sum, cells))))
    df = pd.DataFrame(rows, columns=["district", "sex", "persons"])
    return count_table(df, count="persons", groups=["district", "sex"], measure="suspects", unit="persons")


def _audit(graded: pd.DataFrame):
    """Publish ``graded`` as the briefing does (payload → CSV, codes kept apart) and audit the folder."""
    payload = to_payload("districts", graded, title="Suspects")
    published = from_payload(payload)
    with tempfile.TemporaryDirectory() as tmp:
        write_notebook_csvs("01_page", [published], Path(tmp) / "tables")
        internal = write_internal(tmp, {"01_page__districts.csv": payload["internal"]["flag_reason"]},
                                  Path(tmp) / "codes.csv")
        text = (Path(tmp) / "tables" / "01_page__districts.csv").read_text(encoding="utf-8")
        return audit(tmp, internal=internal), text


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.lists(st.tuples(counts, counts), min_size=2, max_size=5)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables)
def test_graded_tables_expose_nothing_to_the_audit(cells):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        graded = grade(_table([list(c) for c in cells]), Policy())
    report, text = _audit(graded)
    assert report.ok, report.text()
    assert "D1" not in text and "D2" not in text  # one public reason only


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=tables, where=st.data())
def test_a_planted_unprotected_small_count_is_found(cells, where):
    cells = [list(c) for c in cells]
    i, j = where.draw(st.integers(0, len(cells) - 1)), where.draw(st.integers(0, 1))
    cells[i][j] = where.draw(st.integers(1, 4))  # a small count ...
    cells[i][1 - j] = max(cells[i][1 - j], 25)  # ... beside a shown cell and a shown district total
    with pytest.warns(SmallSampleWarning):
        graded = grade(_table(cells), Policy(), secondary=False)
    report, _ = _audit(graded)
    assert not report.ok
    exposed = {(f.keys.get("district"), f.keys.get("sex")) for f in report.exposed}
    assert (f"d{i}", SEXES[j]) in exposed
