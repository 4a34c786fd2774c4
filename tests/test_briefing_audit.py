"""Briefings on small registers pass the disclosure audit, two adjacent years together (issue 11).

Random subsets of the sample register (population and survey unchanged), as
tests/test_small_data.py draws them; the sample register itself is audited in
tests/test_briefing_sample.py. Each run audits what it would publish, with the previous
year's briefing beside it, and publishes nothing when a withheld count can be worked out.
"""

from __future__ import annotations

import pytest

from fixtures.briefing.support import run_cli
from fixtures.small_data.inputs import write_data_dir

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("persons", [60, 500])
def test_two_adjacent_years_on_a_small_register_pass_the_audit(tmp_path, persons):
    data = write_data_dir(tmp_path / "data", k=persons, seed=1)
    for year in (2024, 2025):
        proc = run_cli("--year", str(year), "--data-dir", str(data), "--jobs", "2", "--out", str(tmp_path / str(year)))
        assert proc.returncode == 0, proc.stderr
        line = [x for x in proc.stderr.splitlines() if x.startswith("disclosure audit:")]
        assert len(line) == 1 and ", 0 exposed" in line[0], proc.stderr
        assert ("with the previous briefing" in line[0]) == (year == 2025)
        assert (tmp_path / str(year) / "index.html").is_file()
