"""Tests of salto_analysis.audit: the attacker's audit of a published briefing folder.

Expected intervals are worked out by hand from the published numbers (see
tests/fixtures/audit/README.md) or by brute-force enumeration of every integer solution
(the hypothesis tests), never by running the audit.
"""

import dataclasses
import itertools
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salto_analysis.audit import AuditInputError, audit, is_exposed, main
from salto_analysis.audit.codes import (
    Thresholds,
    parse_codes,
    proportion_box,
    thresholds_from_reasons,
)
from salto_analysis.audit.published import is_total_label, read_folder

FIX = Path(__file__).parent / "fixtures" / "audit"


def _find(report, file=None, column=None, kind=None, briefing="current", **keys):
    out = [f for f in report.findings
           if (file is None or f.file == file) and (column is None or f.column == column)
           and (kind is None or f.kind == kind) and f.briefing == briefing
           and all(str(f.keys.get(k)) == str(v) for k, v in keys.items())]
    assert len(out) == 1, f"expected one finding for {file} {keys} {column}, got {[o.line() for o in out]}"
    return out[0]


def _interval(finding):
    return (finding.lo, finding.hi)


# --------------------------------------------------------------------------------------
# hand-built folders
# --------------------------------------------------------------------------------------
def test_district_total_and_reason_codes_pin_sentrum_and_marka():
    # 3431 - (317 + 288 + 2822) = 4 = Sentrum + Marka; C1 (0 or 5..9) leaves Marka = 0, Sentrum = 4
    r = audit(FIX / "districts_leak")
    f = "01_crime_trends__districts.csv"
    assert _interval(_find(r, f, "count", "withheld", district="Sentrum")) == (4, 4)
    assert _interval(_find(r, f, "count", "withheld", district="Marka")) == (0, 0)
    assert _interval(_find(r, f, "count", "line sum", district="withheld rows")) == (4, 4)
    assert {x.keys["district"] for x in r.exposed} == {"Sentrum", "Marka", "withheld rows"}
    assert not r.ok
    assert r.min_count == 5  # nothing stated in the folder: the default


def test_same_table_with_a_larger_gap_and_one_symbol_is_safe():
    # 3440 - 3427 = 13 for the two withheld cells and no reason codes: each in [0, 13]
    r = audit(FIX / "districts_safe")
    assert r.ok, r.text()
    f = "01_crime_trends__districts.csv"
    assert _interval(_find(r, f, "count", "withheld", district="Sentrum")) == (0, 13)
    assert _interval(_find(r, f, "count", "withheld", district="Marka")) == (0, 13)


def test_curve_at_risk_numbers_reveal_two_censored_persons():
    r = audit(FIX / "km_censoring")
    f = "03_repeat_offenders__reregistration_curve.csv"
    # 40 - 35 - 5 = 0, 35 - 28 - 5 = 2, 28 - 20 - 8 = 0
    assert _interval(_find(r, f, "censored", months="1–2")) == (2, 2)
    assert [x.keys["months"] for x in r.exposed] == ["1–2"]


def test_reason_codes_pin_the_reference_two_by_two_table():
    # x11 + x12 = 13, x12 <= 9 (C1) -> x11 >= 4; D1 -> x11 <= 4
    r = audit(FIX / "codes_2x2")
    f = "02_page__matrix.csv"
    got = {(x.keys["row"], x.keys["col"]): _interval(x) for x in r.findings if x.kind == "withheld"}
    assert got == {("a", "x"): (4, 4), ("a", "y"): (9, 9), ("b", "x"): (7, 7), ("b", "y"): (15, 15)}
    assert len(r.exposed) == 4 and all(x.file == f for x in r.exposed)


def test_one_symbol_leaves_the_two_by_two_table_protected():
    # x11 = t, x12 = 13 - t, x21 = 11 - t, x22 = 11 + t, all >= 0: t in [0, 11]
    r = audit(FIX / "codes_2x2_one_symbol")
    got = {(x.keys["row"], x.keys["col"]): _interval(x) for x in r.findings if x.kind == "withheld"}
    assert got == {("a", "x"): (0, 11), ("a", "y"): (2, 13), ("b", "x"): (0, 11), ("b", "y"): (11, 22)}
    assert r.ok


def test_rates_shares_and_lorenz_labels_give_the_withheld_counts():
    r = audit(FIX / "derived")
    # 5000 * [0.55, 0.65] / 1000 = [2.75, 3.25]
    assert _interval(_find(r, "01_page__rates.csv", "count", "withheld", district="C")) == (3, 3)
    # 37 * [0.1075, 0.1085] = [3.98, 4.01]
    assert _interval(_find(r, "02_page__shares.csv", "numerator", "withheld", group="C")) == (4, 4)
    # 1510 * [0.9645, 0.9655] = [1456.4, 1457.9]
    lorenz = "03_page__lorenz.csv"
    assert _interval(_find(r, lorenz, "numerator", "withheld", person_share="96.5")) == (1457, 1457)
    steps = {x.keys["person_share"]: _interval(x) for x in r.findings if x.file == lorenz and x.kind == "step"}
    # steps next to the withheld point are solved; steps of published numbers only are listed
    # when they are small (604, 15 and the 14 above 99.1 are not)
    assert steps == {"50.0–96.5": (702, 702), "96.5–97.9": (22, 22), "98.9–99.1": (2, 2)}
    exposed = {(x.file, x.column) for x in r.exposed}
    assert exposed == {("01_page__rates.csv", "count"), ("02_page__shares.csv", "numerator"),
                       (lorenz, "numerator"), (lorenz, "persons in step")}


def test_two_years_revision_identity_and_grown_curve():
    r = audit(FIX / "two_years" / "2024", previous=FIX / "two_years" / "2023")
    # 2022 revised from 170 to 172
    series = _find(r, "01_crime_trends__series.csv", "count, change from the previous briefing", year=2022)
    assert _interval(series) == (2, 2) and series.exposed
    # the other years did not change: no change reported for them
    assert [x.keys["year"] for x in r.findings if x.file == "01_crime_trends__series.csv"] == ["2022"]
    # the 2023 briefing withheld 2020 victims; the 2024 briefing publishes 7 and is otherwise unchanged
    prev = _find(r, "01_crime_trends__victims.csv", "count", "withheld", briefing="previous", year=2020)
    assert _interval(prev) == (7, 7) and prev.exposed
    # increments 10 -> 12 in every month: two persons of the new cohort between each pair of months
    f = "03_repeat_offenders__reregistration_curve.csv"
    between = {x.keys["months"]: _interval(x) for x in r.findings
               if x.file == f and x.column.startswith("numerator between")}
    assert between == {"1–2": (2, 2), "2–3": (2, 2), "3–4": (2, 2), "4–5": (2, 2)}


def test_previous_briefing_alone_is_not_blamed_on_the_current_one():
    # auditing 2023 against itself: nothing new is learnt about the previous briefing's cells
    r = audit(FIX / "two_years" / "2023", previous=FIX / "two_years" / "2023")
    assert not [x for x in r.exposed if x.briefing == "previous"]


# --------------------------------------------------------------------------------------
# the workbook
# --------------------------------------------------------------------------------------
def _write_workbook(path: Path, csv_path: Path, shown: dict, min_count: int) -> None:
    import csv

    from openpyxl import Workbook
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    wb = Workbook()
    about = wb.active
    about.title = "Forklaring"
    about.append(["Publiserte tabeller"])
    about.append([f"«:» Tallet kan ikke offentliggjøres: for få personer (færre enn {min_count}) eller for usikkert."])
    about.append(["Ark", "Tabell", "Måler", "CSV-fil"])
    about.append([csv_path.stem[:31], "tittel", "mål", csv_path.name])
    ws = wb.create_sheet(csv_path.stem[:31])
    header = rows[0]
    ws.append(header)
    for i, row in enumerate(rows[1:]):
        values = []
        for col, v in zip(header, row):
            if (i, col) in shown:
                values.append(shown[(i, col)])
            elif v == "" and col in ("count", "exposure", "estimate", "ci_low", "ci_high"):
                values.append(":")
            else:
                try:
                    values.append(float(v) if col not in ("district", "flag", "flag_reason") else v)
                except ValueError:
                    values.append(v)
        ws.append(values)
    wb.save(path)


def test_workbook_states_min_count_and_its_numbers_join_the_attack(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    src = FIX / "districts_safe" / "tables" / "01_crime_trends__districts.csv"
    csv_path = tables / src.name
    csv_path.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    # the workbook shows Sentrum = 6 where the CSV is blank: then Marka = 13 - 6 = 7
    _write_workbook(tables / "briefing.xlsx", csv_path, {(3, "count"): 6}, min_count=3)
    r = audit(tmp_path)
    assert r.min_count == 3 and "workbook" in r.min_count_source
    assert any("workbook shows count=6" in n for n in r.notes)
    assert _interval(_find(r, src.name, "count", "withheld", district="Marka")) == (7, 7)


# --------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------
def test_cli_exit_status_and_report(capsys):
    assert main([str(FIX / "districts_leak")]) == 1
    out = capsys.readouterr().out
    assert "01_crime_trends__districts.csv, district=Sentrum, count: [4, 4]" in out
    assert "01_crime_trends: 2 withheld cell(s)" in out
    assert main([str(FIX / "districts_safe")]) == 0
    assert "Nothing exposed." in capsys.readouterr().out


def test_cli_bad_arguments_give_one_line_and_status_2(capsys, tmp_path):
    assert main([str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no such folder" in err
    assert main([]) == 2
    assert main([str(FIX / "districts_safe"), "--protection", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err
    assert main([str(tmp_path)]) == 2  # a folder without tables
    assert "no published tables" in capsys.readouterr().err


def test_salto_briefing_dispatches_audit(capsys):
    from salto_analysis.briefing.cli import main as briefing_main

    assert briefing_main(["audit", str(FIX / "districts_leak")]) == 1
    assert "EXPOSED" in capsys.readouterr().out


def test_cli_writes_every_finding_to_csv(tmp_path):
    out = tmp_path / "findings.csv"
    assert main([str(FIX / "km_censoring"), "--csv", str(out)]) == 1
    import pandas as pd
    frame = pd.read_csv(out)
    assert set(frame["kind"]) == {"censored"} and frame["exposed"].sum() == 1


def test_not_a_number_in_a_number_column_is_named(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "01_p__t.csv").write_text("district,count,flag,flag_reason\nA,many,ok,\n")
    with pytest.raises(AuditInputError, match="column 'count' holds 'many'"):
        read_folder(tmp_path)


# --------------------------------------------------------------------------------------
# pieces
# --------------------------------------------------------------------------------------
def test_protection_rule():
    assert is_exposed("width", 4, 4, 5, 5)          # exact
    assert is_exposed("width", 1, 4, 5, 5)          # inside 1..4 (what D1 alone says)
    assert is_exposed("width", 20, 24, 5, 5)        # narrower than the protection level
    assert not is_exposed("width", 20, 25, 5, 5)
    assert is_exposed("width", 0, 6, 5, 8) and not is_exposed("width", 0, 8, 5, 8)  # a larger protection level
    assert is_exposed("inside", 2, 2, 5, 5) and not is_exposed("inside", 0, 2, 5, 5)
    assert not is_exposed("inside", 7, 7, 5, 5)
    assert not is_exposed("width", math.nan, math.nan, 5, 5)


def test_reason_code_parsing_and_thresholds():
    assert parse_codes("D1: færre enn 5 personer (personvern)") == ["D1"]
    assert parse_codes("C1: a; P1: b") == ["C1", "P1"]
    assert parse_codes("D1;P3") == ["D1", "P3"]
    assert parse_codes(":") == []
    th = thresholds_from_reasons(["C1: bygger på færre enn 12 hendelser", "P1: effektivt utvalg under 40",
                                  "P3: konfidensintervallet er bredere enn 150 % av andelen"], Thresholds())
    assert (th.min_events, th.min_n_eff, th.rel_width_max) == (12, 40, 1.5)


def test_threshold_defaults_match_the_policy():
    from salto_analysis.reliability import Policy

    policy = Policy()
    for f in dataclasses.fields(Thresholds):
        name = {"confidence_level": "grading_confidence_level"}.get(f.name, f.name)
        assert getattr(Thresholds(), f.name) == getattr(policy, name), f.name


def test_p3_box_against_clopper_pearson_and_garwood_limits():
    # R: binom.test(5, 100)$conf.int = 0.01643 0.11283 -> width/p = 1.93 > 1.30: P3
    #    binom.test(10, 100)$conf.int = 0.04900 0.17622 -> 1.27: not P3
    #    poisson.test(10)$conf.int = 4.795 18.390 -> 1.36; poisson.test(11) = 5.491 19.683 -> 1.29:
    #    no denominator makes 11 events P3 (the binomial interval is narrower than the Poisson limit)
    x0, x1, n0, n1, _, _ = proportion_box("P3", Thresholds())
    assert (x0, x1) == (5, 10)       # 1..4 are D1 and 0 is P0 (shown)
    assert n0 == 30 and 100 <= n1 < 1000
    assert proportion_box("P2", Thresholds())[2:4] == (30, 46)


def test_total_labels():
    assert all(is_total_label(v) for v in ("I alt", "Total", "Alle trinn", "Oslo", "All", "Hele Oslo"))
    assert not any(is_total_label(v) for v in ("Gamle Oslo", "Alna", "Uoppgitt", "10-14"))


# --------------------------------------------------------------------------------------
# property tests: brute force on tiny additive tables
# --------------------------------------------------------------------------------------
M = 5


def _code(v: int) -> str:
    if 1 <= v <= M - 1:
        return "D1: færre enn 5 personer (personvern)"
    return "C1: bygger på færre enn 10 hendelser"  # 0 or 5..9 here (cells are below 10)


def _write_matrix(folder: Path, cells: np.ndarray, withheld: set, coded: bool) -> None:
    r, c = cells.shape
    lines = ["row,col,count,flag,flag_reason"]
    for i in range(r):
        for j in range(c):
            if i * c + j in withheld:
                lines.append(f"r{i},c{j},,suppressed,{_code(int(cells[i, j])) if coded else ':'}")
            else:
                lines.append(f"r{i},c{j},{cells[i, j]},ok,")
        lines.append(f"r{i},I alt,{cells[i].sum()},ok,")
    for j in range(c):
        lines.append(f"I alt,c{j},{cells[:, j].sum()},ok,")
    lines.append(f"I alt,I alt,{cells.sum()},ok,")
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    (folder / "tables" / "01_page__matrix.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _brute(cells: np.ndarray, withheld: list[int], coded: bool) -> np.ndarray:
    """Every integer assignment of the withheld cells that fits the published margins and codes."""
    r, c = cells.shape
    ranges = []
    for k in withheld:
        v = int(cells.flat[k])
        if coded:
            ranges.append(range(1, M) if 1 <= v <= M - 1 else [0, *range(M, 10)])
        else:
            i, j = divmod(k, c)
            ranges.append(range(min(cells[i].sum(), cells[:, j].sum()) + 1))
    sols = []
    for values in itertools.product(*ranges):
        x = cells.copy().ravel()
        x[withheld] = values
        x = x.reshape(r, c)
        if (x.sum(1) == cells.sum(1)).all() and (x.sum(0) == cells.sum(0)).all():
            sols.append(values)
    return np.array(sols)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), shape=st.tuples(st.integers(1, 3), st.integers(2, 3)), coded=st.booleans())
def test_audit_intervals_equal_brute_force_enumeration(data, shape, coded):
    r, c = shape
    cells = np.array(data.draw(st.lists(st.integers(0, 7), min_size=r * c, max_size=r * c))).reshape(r, c)
    withheld = sorted(data.draw(st.sets(st.integers(0, r * c - 1), min_size=1, max_size=min(4, r * c))))
    with tempfile.TemporaryDirectory() as tmp:
        _write_matrix(Path(tmp), cells, set(withheld), coded)
        report = audit(tmp)
    sols = _brute(cells, withheld, coded)
    assert len(sols)  # the true table is a solution
    expect_exposed = False
    for n, k in enumerate(withheld):
        i, j = divmod(k, c)
        f = _find(report, "01_page__matrix.csv", "count", "withheld", row=f"r{i}", col=f"c{j}")
        lo, hi = sols[:, n].min(), sols[:, n].max()
        assert (f.lo, f.hi) == (lo, hi)
        assert lo <= cells[i, j] <= hi
        expect_exposed |= (hi - lo < M) or (lo >= 1 and hi <= M - 1)
    # sums of the withheld cells of a line (two or more)
    for axis, count in ((0, r), (1, c)):
        for line in range(count):
            idx = [n for n, k in enumerate(withheld) if divmod(k, c)[axis] == line]
            if len(idx) < 2:
                continue
            s = sols[:, idx].sum(1)
            expect_exposed |= s.min() >= 1 and s.max() <= M - 1
    assert report.ok == (not expect_exposed)


def _protect(values: list[int]) -> set[int]:
    """The test's own rule for one line: withhold 1..4, then more cells until two are withheld summing ≥ 5."""
    hidden = {k for k, v in enumerate(values) if 1 <= v <= M - 1}
    if not hidden:
        return hidden
    order = sorted((k for k in range(len(values)) if k not in hidden), key=lambda k: (values[k] == 0, values[k]))
    for k in order:
        if len(hidden) >= 2 and sum(values[h] for h in hidden) >= M:
            break
        hidden.add(k)
    return hidden


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.integers(0, 30), min_size=2, max_size=6), protect=st.booleans())
def test_protected_lines_pass_and_unprotected_lines_fail(values, protect):
    # one line with its total and one symbol: each withheld cell lies in [0, S] (S = their sum),
    # so the line is safe iff at least two cells are withheld and S >= 5
    hidden = _protect(values) if protect else {k for k, v in enumerate(values) if 1 <= v <= M - 1}
    lines = ["district,count,flag,flag_reason"]
    for k, v in enumerate(values):
        lines.append(f"d{k},,suppressed,:" if k in hidden else f"d{k},{v},ok,")
    lines.append(f"Oslo,{sum(values)},ok,")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "tables").mkdir()
        (Path(tmp) / "tables" / "01_page__line.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = audit(tmp)
    s = sum(values[k] for k in hidden)
    safe = not hidden or (len(hidden) >= 2 and s >= M)
    assert report.ok == safe
    for k in hidden:
        f = _find(report, "01_page__line.csv", "count", "withheld", district=f"d{k}")
        assert (f.lo, f.hi) == ((s, s) if len(hidden) == 1 else (0, s))


def test_fast_mode_agrees_on_exposure_and_contains_its_inner_intervals():
    for case in ("districts_leak", "districts_safe", "codes_2x2", "codes_2x2_one_symbol", "derived"):
        exact, fast = audit(FIX / case), audit(FIX / case, exact=False)
        assert [f.exposed for f in exact.findings] == [f.exposed for f in fast.findings], case
        for e, f in zip(exact.findings, fast.findings):
            if f.status == "inner":
                assert e.lo <= f.lo and f.hi <= e.hi
            elif f.status == "outer":
                assert f.lo <= e.lo and e.hi <= f.hi
            else:
                assert (e.lo, e.hi) == (f.lo, f.hi)


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "tables").mkdir(parents=True, exist_ok=True)
    (tmp_path / "tables" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_integrality_of_an_either_or_code_narrows_beyond_the_lp_relaxation(tmp_path):
    # only x12 coded C1 (0 or 5..9): x11 = 13 - x12 <= 11 (column total) forces x12 >= 2, so
    # x12 in 5..9 and x11 in [4, 8]; the LP relaxation (x12 anywhere in [0, 9]) would give [4, 11]
    text = (FIX / "codes_2x2_one_symbol" / "tables" / "02_page__matrix.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[2] = "a,y,,,,,suppressed,C1: bygger på færre enn 10 hendelser"
    r = audit(_folder(tmp_path, "02_page__matrix.csv", "\n".join(lines) + "\n"))
    assert _interval(_find(r, "02_page__matrix.csv", "count", "withheld", row="a", col="x")) == (4, 8)
    assert _interval(_find(r, "02_page__matrix.csv", "count", "withheld", row="a", col="y")) == (5, 9)


def test_contradicting_codes_are_undecided_and_fail_closed(tmp_path, capsys):
    # line a adds up (verified); in line b the withheld D2 cell (a count of at least 10) would be 4
    text = ("row,col,count,flag,flag_reason\n"
            "a,x,20,ok,\na,y,30,ok,\na,I alt,50,ok,\n"
            "b,x,40,ok,\nb,y,,suppressed,D2: skjult\nb,I alt,44,ok,\n")
    folder = _folder(tmp_path, "01_page__t.csv", text)
    r = audit(folder)
    assert not r.exposed and [f.keys for f in r.undecided] == [{"row": "b", "col": "y"}]
    assert not r.ok
    assert main([str(folder)]) == 1
    assert "UNDECIDED: 1" in capsys.readouterr().out


def test_protection_level_is_the_width_a_withheld_cell_must_keep():
    # districts_safe: Sentrum and Marka each in [0, 13] (width 13)
    assert audit(FIX / "districts_safe", protection=13).ok
    r = audit(FIX / "districts_safe", protection=14)
    assert {f.keys["district"] for f in r.exposed} == {"Sentrum", "Marka"}


# --------------------------------------------------------------------------------------
# the briefing's own audit: which withheld cells hide a small count (internal codes file)
# --------------------------------------------------------------------------------------
def test_internal_codes_decide_which_narrow_cells_count(tmp_path):
    # one symbol published; 3431 - 3427 = 4 for Sentrum (D1, really 4) and Marka (C1, really 0):
    # by hand each is in [0, 4]. Sentrum hides a small count: 0..4 is too narrow (width 4 < 5).
    # Marka was withheld as too uncertain; narrowing it matters only if it lay inside 1..4, and
    # [0, 4] does not: the audit with the internal file flags Sentrum alone.
    import shutil

    from salto_analysis.audit import write_internal

    folder = tmp_path / "out"
    shutil.copytree(FIX / "districts_leak", folder)
    csv = folder / "tables" / "01_crime_trends__districts.csv"
    text = csv.read_text(encoding="utf-8")
    text = text.replace("D1: færre enn 5 personer (personvern)", "").replace("C1: bygger på færre enn 10 hendelser", "")
    csv.write_text(text, encoding="utf-8")
    outside = audit(folder)
    assert {f.keys["district"] for f in outside.exposed} >= {"Sentrum", "Marka"}
    internal = write_internal(folder, {"01_crime_trends__districts.csv": [None, None, None, "D1", "C1", None]},
                              tmp_path / "withheld_codes.csv")
    assert internal.read_text(encoding="utf-8").count("\n") == 3  # header and the two withheld rows
    inside = audit(folder, internal=internal)
    f = "01_crime_trends__districts.csv"
    assert _interval(_find(inside, f, "count", "withheld", district="Sentrum")) == (0, 4)
    assert {x.keys["district"] for x in inside.exposed if x.kind == "withheld"} == {"Sentrum"}
    assert not inside.ok
