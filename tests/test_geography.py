"""salto_analysis.geography: the district crosswalk file (format, validation, application)."""

from pathlib import Path

import pandas as pd
import pytest

from salto_analysis import geography, schemas
from salto_analysis.io import InputError

OFFICIAL = [n for n, k in zip(schemas.districts()["name_nb"], schemas.districts()["kind"]) if k != "unknown"]


def write(tmp_path: Path, rows: list[list[str]], header=("old_district", "new_district"), sep=",",
          name="crosswalk.csv") -> Path:
    path = tmp_path / name
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def identity_rows() -> list[list[str]]:
    return [[n, n] for n in OFFICIAL]


def test_example_file_merges_sentrum_and_marka():
    cw = geography.load_crosswalk(geography.example_path())
    assert len(cw.mapping) == 17
    assert cw.changed == {"Sentrum": "St. Hanshaugen", "Marka": "Nordre Aker"}
    # new_code orders the new districts: 01 .. 15
    assert cw.order == tuple(OFFICIAL[:15])


def test_order_without_new_code_follows_smallest_old_code(tmp_path):
    # Gamle Oslo (01) and Sagene (03) merge into "Indre øst"; Grünerløkka (02) renamed "Løkka".
    rows = identity_rows()
    rows[0][1] = "Indre øst"
    rows[2][1] = "Indre øst"
    rows[1][1] = "Løkka"
    cw = geography.load_crosswalk(write(tmp_path, rows))
    assert cw.order[:3] == ("Indre øst", "Løkka", "St. Hanshaugen")
    assert len(cw.order) == 16


def test_codes_semicolons_and_case_insensitive_header(tmp_path):
    rows = [[schemas.districts()["code"][i], OFFICIAL[i], f"{i + 1}"] for i in range(len(OFFICIAL))]
    rows[16][0] = "030117"  # Marka by municipal code
    rows[15][0] = "16"      # Sentrum by code without leading zero
    rows[15][1], rows[15][2] = "St. Hanshaugen", "4"
    path = write(tmp_path, rows, header=("Old_District", "NEW_DISTRICT", "new_code"), sep=";")
    cw = geography.load_crosswalk(path)
    assert cw.mapping["Sentrum"] == "St. Hanshaugen" and cw.mapping["Marka"] == "Marka"
    # numeric codes sort as numbers: 1, 2, ..., 10, ... 17 (not "10" before "2")
    assert cw.order[:4] == ("Gamle Oslo", "Grünerløkka", "Sagene", "St. Hanshaugen")
    assert cw.order[-1] == "Marka"


def test_apply_rewrites_and_keeps_unknown():
    cw = geography.load_crosswalk(geography.example_path())
    frame = pd.DataFrame({"district": pd.Categorical(["Sentrum", "Marka", "Alna", "Uoppgitt", None]),
                          "n": [1, 2, 3, 4, 5]})
    frame.attrs["synthetic"] = True
    out = geography.apply(frame, cw)
    assert out["district"].astype(object).tolist()[:4] == ["St. Hanshaugen", "Nordre Aker", "Alna", "Uoppgitt"]
    assert pd.isna(out["district"].iloc[4])
    assert list(out["district"].cat.categories) == [*cw.order, "Uoppgitt"]
    assert out.attrs["synthetic"] is True and out.attrs["crosswalk"] == cw.file
    assert frame["district"].iloc[0] == "Sentrum"  # the input is not changed
    assert geography.apply(frame, None) is frame


def test_apply_refuses_unmapped_district():
    cw = geography.Crosswalk(mapping={"Alna": "Alna"}, order=("Alna",), file="x.csv")
    with pytest.raises(ValueError, match=r"\['Sagene'\]"):
        geography.apply(pd.DataFrame({"district": ["Alna", "Sagene"]}), cw)
    with pytest.raises(ValueError, match="column='bydel'"):
        geography.apply(pd.DataFrame({"district": ["Alna"]}), cw, column="bydel")
    with pytest.raises(ValueError, match="must be a geography.Crosswalk"):
        geography.apply(pd.DataFrame({"district": ["Alna"]}), {"Alna": "Alna"})


def _error(path) -> InputError:
    with pytest.raises(InputError) as err:
        geography.load_crosswalk(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "Fix:" in message
    return err.value


def test_refuses_missing_column(tmp_path):
    err = _error(write(tmp_path, identity_rows(), header=("old_district", "new")))
    assert "new_district" in err.problem


def test_refuses_empty_cell(tmp_path):
    rows = identity_rows()
    rows[3][1] = ""
    err = _error(write(tmp_path, rows))
    assert err.column == "new_district" and err.rows == (5,) and err.count == 1  # header row 1, data from row 2


def test_refuses_unknown_old_district(tmp_path):
    rows = identity_rows()
    rows[2][0] = "sagene"  # names are case-sensitive, as in the loaders
    err = _error(write(tmp_path, rows))
    assert err.column == "old_district" and err.rows == (4,) and "'sagene'" in err.problem


def test_refuses_unknown_district_listed(tmp_path):
    err = _error(write(tmp_path, identity_rows() + [["Uoppgitt", "Alna"]]))
    assert err.rows == (19,) and "unknown district" in err.problem


def test_refuses_split(tmp_path):
    err = _error(write(tmp_path, identity_rows() + [["Alna", "Furuset"]]))
    assert "split" in err.problem and err.rows == (13, 19) and err.count == 2


def test_refuses_duplicate(tmp_path):
    err = _error(write(tmp_path, identity_rows() + [["Alna", "Alna"]]))
    assert "more than once" in err.problem


def test_refuses_incomplete_list(tmp_path):
    err = _error(write(tmp_path, identity_rows()[:-2]))
    assert "Sentrum, Marka not listed" in err.problem


def test_refuses_reserved_new_name(tmp_path):
    rows = identity_rows()
    rows[15][1] = "Oslo"
    err = _error(write(tmp_path, rows))
    assert err.column == "new_district" and err.rows == (17,)


def test_refuses_inconsistent_new_code(tmp_path):
    rows = [[n, n, f"{i + 1:02d}"] for i, n in enumerate(OFFICIAL)]
    rows[15][1], rows[15][2] = "St. Hanshaugen", "16"  # St. Hanshaugen also has code 04
    err = _error(write(tmp_path, rows, header=("old_district", "new_district", "new_code")))
    assert err.column == "new_code" and err.rows == (5, 17)


def test_refuses_missing_file_and_wrong_format(tmp_path):
    _error(tmp_path / "none.csv")
    other = tmp_path / "crosswalk.parquet"
    other.write_bytes(b"PAR1")
    _error(other)
