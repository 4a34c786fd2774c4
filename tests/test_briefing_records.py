"""salto_analysis.briefing.records: the record() call notebooks use, and its payload."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from salto_analysis.briefing import ENV_FLAG, MIMETYPE, record
from salto_analysis.briefing.records import (
    from_payload,
    identifier_columns,
    small_count_cells,
    to_payload,
)
from salto_analysis.estimates import estimate_table, with_meta
from salto_analysis.policy import Policy, SmallSampleWarning


def table(**overrides):
    """A hand-made graded proportion table: 12/40 and 30/60, plus one suppressed row."""
    data = {
        "sex": ["female", "male", "unknown"],
        "numerator": [12, 30, pd.NA],
        "denominator": [40, 60, pd.NA],
        "estimate": [0.3, 0.5, pd.NA],
        "ci_low": [0.1806, 0.3773, pd.NA],
        "ci_high": [0.4546, 0.6227, pd.NA],
        "flag": ["uncertain", "ok", "suppressed"],
        "flag_reason": ["P1", pd.NA, "D1"],
    }
    data.update(overrides)
    frame = pd.DataFrame(data)
    for col in ("numerator", "denominator"):
        frame[col] = frame[col].astype("Int64")
    return estimate_table(frame, groups=["sex"], kind="proportion", measure="share", unit="proportion",
                          method="wilson", confidence_level=0.95)


def test_record_returns_the_table_and_shows_nothing_outside_a_briefing(monkeypatch, capsys):
    monkeypatch.delenv(ENV_FLAG, raising=False)
    t = table()
    assert record("share_by_sex", t) is t
    assert capsys.readouterr().out == ""


def test_record_refuses_an_ungraded_table():
    t = table(flag=[pd.NA] * 3)
    with pytest.raises(ValueError, match="no valid flag; run reliability.grade first"):
        record("share", t)


def test_record_refuses_identifier_columns():
    t = table()
    t.insert(0, "person_id", ["p1", "p2", "p3"])
    with pytest.raises(ValueError, match=r"identifier column\(s\) \['person_id'\]"):
        record("share", t)
    assert identifier_columns(["year", "school_id", "case_id", "Household_ID", "district"]) == [
        "school_id", "case_id", "Household_ID"]


def test_record_refuses_small_counts_that_are_not_suppressed():
    # 3 of 40: numerator 3 is below the default min_count 5 but the row is flagged "ok"
    t = table(numerator=[3, 30, pd.NA], flag=["ok", "ok", "suppressed"])
    with pytest.raises(ValueError, match=r"counts below min_count=5 are not suppressed \(numerator in 1 row"):
        record("share", t)
    # the complement: 58 of 60 leaves 2 without the characteristic
    t = table(numerator=[12, 58, pd.NA])
    assert small_count_cells(t, 5) == ["denominator - numerator in 1 row(s)"]
    # a table graded with min_count 3 says so in its metadata: 3 and 4 are then publishable
    t = with_meta(table(numerator=[3, 30, pd.NA], flag=["ok", "ok", "suppressed"]), policy=Policy(min_count=3))
    assert record("share", t) is t


@pytest.mark.parametrize("name", ["", "Share", "share by sex", "a/b", "x" * 61])
def test_record_refuses_bad_names(name):
    with pytest.raises(ValueError, match="record name"):
        record(name, table())


def test_payload_round_trip_keeps_values_types_and_blank_suppressed_cells():
    payload = to_payload("share_by_sex", table(), title="Andel", headline=True)
    assert payload["columns"] == ["sex", "numerator", "denominator", "estimate", "ci_low", "ci_high",
                                  "flag", "flag_reason"]
    assert payload["dtypes"][:3] == ["str", "int", "int"]
    # a withheld row publishes no reason code (one public reason, ":"); the code travels apart, internally
    assert payload["rows"][2] == ["unknown", None, None, None, None, None, "suppressed", None]
    assert payload["rows"][0][-1] == "P1"  # an uncertain shown row keeps its review code
    assert payload["internal"]["flag_reason"] == ["P1", None, "D1"]
    back = from_payload(payload)
    assert back["numerator"].tolist()[:2] == [12, 30] and back["numerator"].isna().tolist() == [False, False, True]
    assert back["estimate"].tolist()[:2] == [0.3, 0.5]
    assert back.attrs["record_name"] == "share_by_sex" and back.attrs["title"] == "Andel"
    assert back.attrs["headline"] is True and back.attrs["kind"] == "proportion"
    assert back.attrs["groups"] == ["sex"] and back.attrs["min_count"] == 5


def test_from_payload_refuses_another_version():
    payload = to_payload("x", table())
    payload["version"] = 99
    with pytest.raises(ValueError, match="payload version 99"):
        from_payload(payload)


def test_inside_a_briefing_run_record_emits_the_payload_mimetype():
    code = (
        "import pandas as pd\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shown = []\n"
        "shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append(data)\n"
        "from salto_analysis.briefing import record\n"
        "from salto_analysis.estimates import estimate_table\n"
        "t = estimate_table(pd.DataFrame({'count': [40], 'estimate': [40.0], 'ci_low': [28.6], 'ci_high': [54.5],"
        " 'flag': ['ok'], 'flag_reason': [None]}), kind='count', measure='m', unit='u', method='garwood',"
        " confidence_level=0.95)\n"
        "record('cases', t, headline=True)\n"
        f"assert list(shown[0]) == [{MIMETYPE!r}], shown\n"
        f"assert shown[0][{MIMETYPE!r}]['rows'] == [[40, 40.0, 28.6, 54.5, 'ok', None]]\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", ENV_FLAG: "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_importing_the_record_api_loads_neither_papermill_nor_nbconvert():
    code = ("import sys, salto_analysis.briefing\n"
            "print(sorted(m for m in ('papermill', 'nbconvert', 'nbclient') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_raw_columns_of_a_graded_table_never_reach_the_payload(monkeypatch):
    from salto_analysis import reliability

    # 3 of 40 is suppressed (D1, numerator below 5); keep_raw keeps the 3 in raw_numerator for the analyst
    frame = pd.DataFrame({"sex": ["female", "male"], "numerator": [3, 30], "denominator": [40, 60],
                          "estimate": [3 / 40, 0.5], "ci_low": [0.026, 0.3773], "ci_high": [0.199, 0.6227]})
    t = estimate_table(frame, groups=["sex"], kind="proportion", measure="share", unit="proportion",
                       method="wilson", confidence_level=0.95)
    with pytest.warns(SmallSampleWarning):
        graded = reliability.grade(t, Policy(), secondary=False, keep_raw=True)
    assert any(c.startswith("raw_") for c in graded.columns)
    shown = []
    monkeypatch.setenv(ENV_FLAG, "1")
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    assert record("share", graded) is graded
    payload = shown[0][MIMETYPE]
    assert not [c for c in payload["columns"] if c.startswith("raw_")]
    assert payload["rows"][0][1:6] == [None] * 5 and payload["rows"][0][6] == "suppressed"
