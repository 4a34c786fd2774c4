"""salto_analysis.formatting: numbers, intervals, p-values and symbols, in both languages.

Every expected string is written out by hand from the input numbers and the conventions of
the module docstring (decimal comma and no-break space for nb, U+2212 minus, Statistics
Norway's ':' and '..').
"""

import numpy as np
import pandas as pd
import pytest

from salto_analysis import formatting

NBSP = "\u00a0"
MINUS = "\u2212"


def test_format_number_norwegian_and_english():
    assert formatting.number(12345.678, 1, "nb") == f"12{NBSP}345,7"
    assert formatting.number(12345.678, 1, "en") == "12,345.7"
    assert formatting.number(1234567, 0, "nb") == f"1{NBSP}234{NBSP}567"
    assert formatting.number(-2.5, 2, "nb") == f"{MINUS}2,50"
    assert formatting.number(0.004, 2, "en") == "0.00"


def test_format_number_no_minus_zero_and_missing():
    # -0.04 rounds to 0.0: no sign
    assert formatting.number(-0.04, 1, "nb") == "0,0"
    assert formatting.number(np.nan, 1) == ".."
    assert formatting.number(None, 1) == ".."
    assert formatting.number(pd.NA, 1) == ".."
    assert formatting.number(np.inf, 1) == "∞" and formatting.number(-np.inf, 1, "en") == f"{MINUS}∞"


def test_format_number_rejects_bad_digits_and_lang():
    with pytest.raises(ValueError, match="digits=-1"):
        formatting.number(1.0, -1)
    with pytest.raises(ValueError, match="lang='de'"):
        formatting.number(1.0, 1, "de")


def test_format_interval_dash_and_words():
    assert formatting.interval(12.34, 10.12, 14.81, 1, "nb") == "12,3 (10,1–14,8)"
    assert formatting.interval(12.34, 10.12, 14.81, 1, "en", mark="¹") == "12.3¹ (10.1–14.8)"
    # a negative limit: joined by words, so the dash is not read as a minus
    assert formatting.interval(-1.2, -3.4, 1.0, 1, "nb") == f"{MINUS}1,2 ({MINUS}3,4 til 1,0)"
    assert formatting.interval(-1.2, -3.4, 1.0, 1, "en") == f"{MINUS}1.2 ({MINUS}3.4 to 1.0)"
    # without limits only the estimate
    assert formatting.interval(5.0, np.nan, np.nan, 0, "nb") == "5"


def test_format_p():
    assert formatting.p_value(0.0004, "nb") == "<0,001"
    assert formatting.p_value(0.07967, "en") == "0.080"
    assert formatting.p_value(np.nan) == ".."


def test_number_with_sign_and_the_suppressed_symbol():
    assert formatting.number(-1234.5, 1, "nb") == f"−1{NBSP}234,5"
    assert formatting.number(1234.5, 1, "en", sign=True) == "+1,234.5"
    assert formatting.number(0.0, 0, "nb", sign=True) == "0" and formatting.number(-0.04, 1, "nb", sign=True) == "0,0"
    assert formatting.number(float("nan"), missing=formatting.SUPPRESSED) == ":"
    with pytest.raises(ValueError, match="lang='se'"):
        formatting.number(1, 1, "se")


@pytest.mark.parametrize(("value", "lang", "digits", "text"), [
    (1234567.891, "nb", 2, "1\u00a0234\u00a0567,89"),
    (1234567.891, "en", 2, "1,234,567.89"),
    (-3.25, "nb", 1, "\u22123,2"),  # Python rounds half to even: -3.25 -> -3.2
    (-0.04, "nb", 1, "0,0"),  # never "−0,0"
    (0.0, "en", 0, "0"),
])
def test_number_examples(value, lang, digits, text):
    assert formatting.number(value, digits, lang) == text


def test_percent_level_and_names():
    assert formatting.percent_level(0.95, "nb") == "95" and formatting.percent_level(0.998, "en") == "99.8"
    assert formatting.names(None) == [] and formatting.names("wave") == ["wave"] and formatting.names(("a", "b")) == ["a", "b"]
