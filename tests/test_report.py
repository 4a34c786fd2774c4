"""salto_analysis.report: synthetic banner, warning box, table blocks and reading notes."""

import numpy as np
import pandas as pd
import pytest

from salto_analysis import report
from salto_analysis.estimates import estimate_table, with_meta
from salto_analysis.policy import Policy


def graded(frame: pd.DataFrame, *, groups, kind="count", min_count=5, title=None) -> pd.DataFrame:
    t = estimate_table(frame, groups=groups, kind=kind, measure="test", unit="x", method="hand",
                       confidence_level=0.95)
    return with_meta(t, policy=Policy(min_count=min_count), title=title)


@pytest.fixture
def districts() -> pd.DataFrame:
    return graded(pd.DataFrame({
        "district": ["Sagene", "Alna", "Grorud"],
        "count": [120, 14, np.nan],
        "estimate": [120.0, 14.0, np.nan],
        "ci_low": [99.5, 7.65, np.nan],
        "ci_high": [143.5, 23.49, np.nan],
        "flag": ["ok", "uncertain", "suppressed"],
        "flag_reason": [pd.NA, "C3", "D1"],
    }), groups=["district"], title="Saker etter bydel")


@pytest.fixture
def clean() -> pd.DataFrame:
    return graded(pd.DataFrame({"year": [2025], "count": [300], "estimate": [300.0], "ci_low": [267.0],
                                "ci_high": [335.9], "flag": ["ok"], "flag_reason": [pd.NA]}), groups=["year"])


def test_banner_only_for_synthetic_data():
    b = report.banner(True, "nb")
    assert b.text.startswith("SYNTETISKE DATA")
    assert "SYNTETISKE DATA" in b._repr_html_() and "background" in b._repr_html_()
    assert report.banner(True, "en").text.startswith("SYNTHETIC DATA")
    assert report.banner(False, "nb") is None
    with pytest.raises(ValueError, match="synthetic='yes'"):
        report.banner("yes", "nb")


def test_flagged_lists_every_uncertain_and_suppressed_row(districts, clean):
    rows = report.flagged(districts, ("Total", clean), lang="nb")
    assert rows.to_dict("records") == [
        {"table": "Saker etter bydel", "row": "Alna", "flag": "uncertain",
         "reason": "C3: ustabilt, bygger på færre enn 20 hendelser"},
        {"table": "Saker etter bydel", "row": "Grorud", "flag": "suppressed",
         "reason": "for få eller for usikkert til å vises"},  # one public reason, never the code D1
    ]


def test_flagged_translates_reasons_and_names_untitled_tables(districts):
    rows = report.flagged(with_meta(districts, title=None), lang="en")
    assert rows["table"].tolist() == ["Table 1", "Table 1"]
    assert rows["reason"].tolist() == ["C3: unstable, based on fewer than 20 events",
                                       "too few or too uncertain to show"]


def test_warning_box_counts_and_lists_reasons(districts, clean):
    box = report.warning_box(districts, clean, lang="nb")
    text = box.text
    assert text.splitlines()[0] == "⚠ Tall som må leses med forsiktighet"
    assert "Denne siden har 1 usikre og 1 skjulte tall." in text
    assert "- Saker etter bydel: Alna: usikkert – C3: ustabilt, bygger på færre enn 20 hendelser" in text
    assert "- Saker etter bydel: Grorud: skjult («:») – for få eller for usikkert til å vises" in text
    assert "D1" not in text and "personvern" not in text
    html = box._repr_html_()
    assert 'class="salto-warning"' in html and "border-left:6px solid" in html
    # folded on every page, with the counts on the line that stays visible
    assert '<details class="salto-caution"><summary>' in html
    summary = html.split("<summary>", 1)[1].split("</summary>", 1)[0]
    assert "</strong>: Denne siden har 1 usikre og 1 skjulte tall." in summary


def test_warning_box_says_so_when_nothing_is_flagged(clean):
    box = report.warning_box(clean, lang="en")
    assert box.text == "Figures to read with caution\nNo figure on this page is marked as uncertain or withheld."


def test_warning_box_folds_long_lists_too():
    n = 20
    t = graded(pd.DataFrame({"year": range(2000, 2000 + n), "count": [np.nan] * n, "estimate": [np.nan] * n,
                             "ci_low": [np.nan] * n, "ci_high": [np.nan] * n, "flag": ["suppressed"] * n,
                             "flag_reason": ["D1"] * n}), groups=["year"])
    box = report.warning_box(t, lang="nb")
    assert box.html.count('<details class="salto-caution">') == 1
    assert box.text.count("\n- ") == n


def test_warning_box_refuses_ungraded_and_wrong_arguments(districts):
    with pytest.raises(ValueError, match="no valid flag"):
        report.warning_box(districts.assign(flag=pd.NA))
    with pytest.raises(ValueError, match="argument 1 is a str"):
        report.warning_box("not a table")


def test_block_uses_title_from_attrs_and_adds_note(districts):
    b = report.block(districts, lang="nb", note="Tallene er registrerte saker.")
    lines = b.text.splitlines()
    assert lines[0] == "Saker etter bydel"
    assert lines[-1] == "Tallene er registrerte saker."
    assert "Grorud" in b.text and "«:»" in b.text
    assert "<caption" in b.html and "Tallene er registrerte saker." in b.html


def test_block_split_gives_one_table_per_value(capsys):
    t = graded(pd.DataFrame({
        "indicator": pd.Categorical(["Kokain", "Kokain", "Cannabis", "Cannabis"], categories=["Cannabis", "Kokain"]),
        "year": [2024, 2025, 2024, 2025],
        "count": [40, 41, 120, 14], "estimate": [40.0, 41.0, 120.0, 14.0],
        "ci_low": [28.6, 29.4, 99.5, 7.65], "ci_high": [54.5, 55.6, 143.5, 23.49],
        "flag": ["ok", "ok", "ok", "uncertain"],
        "flag_reason": [pd.NA, pd.NA, pd.NA, "C3"],
    }), groups=["indicator", "year"], title="Antall")
    b = report.block(t, lang="nb", pivot="year", split="indicator", note="Merknad.")
    # in category order, each captioned with its value and without the indicator column;
    # intervals rounded by hand: 99.5-143.5 -> 100-144 (halves to even), 7.65-23.49 -> 8-23
    assert b.html.count("<caption") == 2
    assert b.html.index("Antall: Cannabis") < b.html.index("Antall: Kokain")
    assert b.text.splitlines()[:3] == ["Antall: Cannabis", "         2024        2025",
                                      "120 (100–144)  14¹ (8–23)"]
    assert "Indikator" not in b.text and b.text.endswith("Merknad.")
    # each part keeps its own footnotes: the uncertain mark only under Cannabis
    cannabis, cocaine = b.text.split("Antall: Kokain")
    assert "¹ Usikkert tall" in cannabis and "¹" not in cocaine
    report.show(t, lang="nb", pivot="year", split="indicator")
    assert capsys.readouterr().out.count("Tallene i cellene") == 2
    with pytest.raises(ValueError, match=r"split='district' must be one of the grouping columns \['indicator', 'year'\]"):
        report.block(t, split="district")


def test_show_displays_the_block(districts, capsys):
    report.show(districts, title="Tittel", lang="en")
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Tittel"
    assert "“:” means" in out


def test_show_plain_for_descriptive_frames(capsys):
    report.show_plain(pd.DataFrame({"check": ["x"], "result": ["ok"]}), lang="nb", title="Kontroller")
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["Kontroller", "Kontroll  Resultat"]


def test_text_wraps_ready_text_as_markdown():
    assert report.text("Alle inndata er syntetiske.").data == "Alle inndata er syntetiske."
    with pytest.raises(ValueError, match="markdown=3"):
        report.text(3)


def test_note_and_heading_come_from_labels():
    assert report.note("report.warning.none", "en").data == "No figure on this page is marked as uncertain or withheld."
    assert report.heading("report.warning.title", "nb").data == "## Tall som må leses med forsiktighet"
    assert report.heading("report.warning.title", "en", level=3).data == "### Figures to read with caution"
    with pytest.raises(ValueError, match="level=7"):
        report.heading("report.warning.title", "nb", level=7)
    with pytest.raises(KeyError, match="no report text"):
        report.note("no.such.key", "nb")
