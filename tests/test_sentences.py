"""salto_analysis.sentences: the honest sentence for a change, from its numbers and decision rule.

Expected sentences are written out by hand from the inputs (the interval and, where given,
the Benjamini–Hochberg adjusted p-value decide between "went up/down" and "within chance").
"""

import numpy as np
import pandas as pd

from salto_analysis import change
from salto_analysis.sentences import change_sentence

NBSP = "\u00a0"


def test_sentence_examples_from_the_issue():
    s = change_sentence(percent_change=-5.2, percent_low=-9.1, percent_high=-1.3, subject="Anmeldelsene")
    assert s == f"Anmeldelsene gikk ned 5{NBSP}% (95{NBSP}% KI −9{NBSP}% til −1{NBSP}%)"
    s = change_sentence(percent_change=-3.0, percent_low=-9.0, percent_high=4.0)
    assert s.startswith(f"Endringen (−3{NBSP}%) er innenfor det som kan skyldes tilfeldig variasjon")
    s = change_sentence(percent_change=-3.0, percent_low=-9.0, percent_high=4.0, lang="en")
    assert s == "The change (−3%) is within what chance variation could produce (95% CI −9% to +4%)"


def test_sentence_from_results_and_rows():
    # 30 -> 45: not significant, "+50 % (−8 % til +147 %)" (R poisson.test(c(45, 30), c(1, 1)))
    s = change_sentence(change.count_change(45, 30))
    assert "(+50" in s and "tilfeldig variasjon" in s and "+147" in s
    # a difference of proportions in percentage points, one decimal, decimal comma
    row = pd.Series({"estimate": 0.046, "ci_low": 0.012, "ci_high": 0.08, "flag": "ok"})
    assert change_sentence(row, subject="Andelen") == \
        f"Andelen gikk opp 4,6 prosentpoeng (95{NBSP}% KI +1,2 til +8,0 prosentpoeng)"
    assert change_sentence(row, "en", subject="The share").startswith("The share went up 4.6 percentage points")
    assert change_sentence(pd.Series({"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                                      "flag": "suppressed"})).startswith("Endringen kan ikke vises")
    unc = change_sentence({**row.to_dict(), "flag": "uncertain"})
    assert unc.endswith("Tallene er usikre.")
    # adjusted for many comparisons: significant alone, not after BH
    adj = change_sentence(percent_change=-5, percent_low=-9, percent_high=-1, p_adjusted=0.3)
    assert "mange grupper" in adj
    # the change still carries its interval (every shown number does)
    assert adj.startswith(f"Endringen (−5{NBSP}%; 95{NBSP}% KI −9{NBSP}% til −1{NBSP}%) er innenfor")
    adj_en = change_sentence(percent_change=-5, percent_low=-9, percent_high=-1, p_adjusted=0.3, lang="en")
    assert adj_en.startswith("The change (−5%; 95% CI −9% to −1%) is within what chance variation could produce once")
