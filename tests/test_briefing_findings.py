"""salto_analysis.briefing.findings: the key-finding sentences on the index.

Expected sentences are written by hand from the rows below (rounding done by hand);
the wording rule is the pages' one: a change or ratio is called a rise, fall, higher
or lower only when its interval excludes no change.
"""

from __future__ import annotations

import pandas as pd
import pytest

from salto_analysis.briefing.findings import MAX_FINDINGS, key_findings

NBSP = "\u00a0"
JARGON = ("Woolf", "Katz", "Poisson", "Kaplan", "log-rank", "Wilson", "Fisher", "odds", "Odds", "test", "p-verdi",
          "p-value", "designeffekt", "design effect")


def table(name: str, rows: list[dict], **attrs) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.attrs = {"record_name": name, "confidence_level": 0.95, **attrs}
    return frame


def change_row(counted, pct, low, high, flag="ok"):
    return {"counted": counted, "age_group": "total", "estimate": 1 + pct / 100, "ci_low": 1 + low / 100,
            "ci_high": 1 + high / 100, "percent_change": pct, "percent_low": low, "percent_high": high,
            "flag": flag, "flag_reason": None}


def trends(prev=(-1.23, -5.74, 3.44), mean=(10.49, 6.30, 14.83), level_flag="ok"):
    return {"01_crime_trends": [
        table("level_total", [
            {"counted": "cases", "age_group": "total", "count": 7433, "exposure": 87130, "estimate": 85.309,
             "ci_low": 83.381, "ci_high": 87.271, "flag": "ok", "flag_reason": None},
            {"counted": "suspects", "age_group": "total", "count": 3578, "exposure": 87130, "estimate": 41.065,
             "ci_low": 39.730, "ci_high": 42.433, "flag": level_flag, "flag_reason": None},
        ], kind="rate", scale=1000, title="Anmeldte saker"),
        table("change_previous_total", [change_row("cases", -1.2, -4.4, 2.0), change_row("suspects", *prev)],
              kind="ratio", title="Endring fra 2023 til 2024"),
        table("change_mean_total", [change_row("cases", 14.7, 11.7, 17.9), change_row("suspects", *mean)],
              kind="ratio", title="Endring fra gjennomsnittet for 2021–2023 til 2024 i antall per 1 000 innbyggere"),
    ]}


def ratio(low, est, high, flag="ok"):
    return {"02_victim_offender_overlap": [table("relative_odds_total", [
        {"sex": "total", "ratio_type": "odds_ratio_woolf", "estimate": 3.23, "ci_low": 3.06, "ci_high": 3.41,
         "flag": "ok"},
        {"sex": "total", "ratio_type": "risk_ratio", "estimate": est, "ci_low": low, "ci_high": high, "flag": flag},
    ], kind="ratio")]}


def test_level_and_changes_read_as_the_pages_rule_says():
    found = key_findings(trends(), "nb", 2024)
    assert [f.anchor for f in found] == ["salto-level", "salto-change_previous"]
    level, change = found
    assert level.text == (f"I 2024 ble 3{NBSP}578 unge registrert som mistenkt i minst én sak, 41,1 per 1{NBSP}000 "
                          f"innbyggere i samme alder (95{NBSP}% KI 39,7–42,4). Politiet registrerte 7{NBSP}433 "
                          "anmeldte saker med unge mistenkte.")
    # -1.23 % with the interval -5.74 % to +3.44 % includes no change: within chance
    assert change.text.startswith(f"Fra 2023 til 2024: Endringen (−1{NBSP}%) er innenfor det som kan skyldes "
                                  f"tilfeldig variasjon (95{NBSP}% KI −6{NBSP}% til +3{NBSP}%).")
    # +10.49 % (+6.30 to +14.83) excludes no change: a rise, against the period the table's title names
    assert change.text.endswith(f"Sammenlignet med gjennomsnittet for 2021–2023: Antallet mistenkte per innbygger "
                                f"gikk opp 10{NBSP}% (95{NBSP}% KI +6{NBSP}% til +15{NBSP}%).")
    assert change.href == "01_crime_trends.html#salto-change_previous"
    assert change.tables == ("change_previous_total", "change_mean_total")


def test_a_fall_is_called_a_fall_and_english_has_no_norwegian():
    found = key_findings(trends(prev=(-8.4, -12.9, -3.7)), "en", 2024)
    assert "From 2023 to 2024: The number of suspects per resident went down 8% (95% CI −13% to −4%)." in found[1].text
    assert not any(w in f.text for f in found for w in (" og ", " ble ", "innbyggere", " KI "))


def test_an_uncertain_row_keeps_its_sentence_with_a_note_and_a_withheld_row_gives_none():
    found = key_findings(trends(level_flag="uncertain"), "nb", 2024)
    assert found[0].uncertain and found[0].text.endswith("Tallene er usikre.")
    withheld = trends()
    level = withheld["01_crime_trends"][0]
    level.loc[level["counted"] == "suspects", ["estimate", "ci_low", "ci_high"]] = float("nan")
    level.loc[level["counted"] == "suspects", "flag"] = "suppressed"
    assert [f.anchor for f in key_findings(withheld, "nb", 2024)] == ["salto-change_previous"]


@pytest.mark.parametrize(("low", "est", "high", "words"), [
    (2.68, 2.81, 2.95, "ble 2,81 ganger så ofte registrert som mistenkt som andre unge på samme alder "
                       f"(95{NBSP}% KI 2,68–2,95)"),
    (0.52, 0.70, 0.94, f"sjeldnere registrert som mistenkt enn andre unge på samme alder: 0,70 ganger så ofte "
                       f"(95{NBSP}% KI 0,52–0,94)"),
    (0.90, 1.10, 1.34, "ikke sikkert oftere eller sjeldnere"),
])
def test_a_ratio_is_higher_or_lower_only_when_its_interval_excludes_one(low, est, high, words):
    (finding,) = key_findings(ratio(low, est, high), "nb", 2024)
    assert words in finding.text
    assert finding.href == "02_victim_offender_overlap.html#salto-relative_odds"
    if low <= 1 <= high:
        assert "tilfeldig variasjon" in finding.text


def test_group_shares_say_persons_and_share_of_offences():
    tables = {"03_repeat_offenders": [table("group_shares", [
        {"offence_threshold": "4+", "numerator": 227, "denominator": 1510, "estimate": 0.50558, "ci_low": 0.46615,
         "ci_high": 0.54392, "flag": "ok"},
        {"offence_threshold": "10+", "numerator": 53, "denominator": 1510, "estimate": 0.19861, "ci_low": 0.15266,
         "ci_high": 0.24287, "flag": "ok"},
    ], kind="proportion")]}
    (finding,) = key_findings(tables, "en", 2024)
    assert finding.text == ("The 227 of 1,510 suspects with 4 or more offences in 2024 accounted for 50.6% of the "
                            "offences (95% CI 46.6–54.4%). The 53 with 10 or more accounted for 19.9% (95% CI "
                            "15.3–24.3%).")


def test_drug_change_within_chance_after_adjustment_is_not_called_a_rise():
    rows = [{"indicator": "cannabis", "school_level": "upper_secondary", "sex": sex, "estimate": d, "ci_low": lo,
             "ci_high": hi, "estimate_ref": ref, "estimate_to": ref + d, "p_adjusted": p, "flag": "ok"}
            for sex, d, lo, hi, ref, p in [("female", 0.03653, 0.0197, 0.0533, 0.1531, 0.0003),
                                          ("male", 0.0248, 0.0063, 0.0434, 0.2827, 0.06)]]
    (finding,) = key_findings({"04_drug_use_trends": [table("drug_use_change", rows, kind="difference")]}, "nb", 2023)
    assert f"Blant jentene var andelen 15,3{NBSP}% ved forrige undersøkelse og 18,96{NBSP}%" not in finding.text
    assert f"Blant jentene var andelen 15,3{NBSP}% ved forrige undersøkelse og 19,0{NBSP}% nå. Andelen gikk opp " \
           f"3,7 prosentpoeng (95{NBSP}% KI +2,0 til +5,3 prosentpoeng)" in finding.text
    # the boys' interval excludes 0 but the adjusted p-value (0.06) does not pass: within chance
    assert "Blant guttene" in finding.text and "når vi tar hensyn til at mange grupper er sammenlignet" in finding.text


def test_no_jargon_at_most_eight_and_unknown_tables_give_nothing():
    everything = {**trends(), **ratio(2.68, 2.81, 2.95)}
    found = key_findings(everything, "nb", 2024) + key_findings(everything, "en", 2024)
    assert found and not [f.text for f in found for w in JARGON if w in f.text]
    assert len(key_findings(everything, "nb", 2024, max_findings=2)) == 2
    assert MAX_FINDINGS == 8
    assert key_findings({"99_other": [table("something", [{"estimate": 1.0, "flag": "ok"}])]}, "nb", 2024) == []
