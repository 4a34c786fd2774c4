"""Tests of salto_analysis.policy: the thresholds, the flag codes and their words."""

import warnings

import pandas as pd
import pytest

from salto_analysis import stats
from salto_analysis.policy import (
    CODES,
    SUPPRESSING,
    Policy,
    SmallSampleWarning,
    code_text,
    join_codes,
    policy_of,
    split_codes,
)
from salto_analysis.reliability import grade


def _grade(table, policy=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        return grade(table, policy, **kw)


def test_codes_are_joined_in_code_order_and_split_back():
    assert join_codes(["P3", "D1", "P3", "P2"]) == "D1;P2;P3"
    assert split_codes("D1;P2;P3") == ["D1", "P2", "P3"]
    assert split_codes(None) == [] and split_codes(pd.NA) == [] and split_codes("") == []
    with pytest.raises(ValueError, match=r"unknown code\(s\) \['D1: fewer'\]"):
        split_codes("D1: fewer")
    assert SUPPRESSING < set(CODES) and {"Pc", "Pdf", "P0", "C3", "Cdf", "S2"} == set(CODES) - SUPPRESSING


def test_code_text_in_both_languages_with_the_policy_thresholds():
    assert code_text("D1", Policy(min_count=3), "nb") == "D1: færre enn 3 personer (personvern)"
    assert code_text("D1", Policy(min_count=10), "en") == "D1: fewer than 10 persons (privacy)"
    assert code_text("P2", Policy(abs_width_max=0.25), "en").startswith("P2: confidence interval 25 percentage")


def test_policy_of_reads_the_stored_policy():
    g = _grade(stats.count_table(pd.DataFrame({"n": [40]}), count="n"), Policy(min_count=3, lang="en"))
    assert policy_of(g) == Policy(min_count=3, lang="en")
    # ungraded: the default policy
    assert policy_of(stats.count_table(pd.DataFrame({"n": [40]}), count="n")) == Policy()
    assert policy_of(pd.DataFrame()) == Policy()


def test_policy_and_grade_bad_arguments():
    with pytest.raises(ValueError, match="min_count=0"):
        Policy(min_count=0)
    with pytest.raises(ValueError, match="min_n_eff=-1"):
        Policy(min_n_eff=-1)
    with pytest.raises(ValueError, match="lang='de'"):
        Policy(lang="de")
    with pytest.raises(ValueError, match="total_labels='Total'"):
        Policy(total_labels="Total")
    with pytest.raises(ValueError, match="no estimate-table metadata; build it with"):
        grade(pd.DataFrame({"estimate": [1]}))
    t = stats.count_table(pd.DataFrame({"n": [1]}), count="n")
    with pytest.raises(ValueError, match="policy="):
        grade(t, {"min_count": 3})
    with pytest.raises(ValueError, match="code='X9'"):
        code_text("X9")
