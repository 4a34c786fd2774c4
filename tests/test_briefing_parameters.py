"""salto_analysis.briefing.parameters: declared parameters, params files, precedence, type checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from salto_analysis.briefing.config import BriefingError, load_briefing
from salto_analysis.briefing.parameters import (
    Declared,
    check_value,
    declared_parameters,
    is_path_parameter,
    load_params_file,
    resolve_parameters,
)

FIXTURES = Path(__file__).parent / "fixtures" / "briefing"


def test_declared_parameters_come_from_the_parameters_cell():
    declared = declared_parameters(FIXTURES / "ok_table.ipynb")
    assert list(declared) == ["data_dir", "year", "lang", "min_count", "scale", "districts"]
    assert declared["year"] == Declared("year", "int", 2025, "reporting year")
    assert declared["districts"].default == ["Alna"] and declared["districts"].expected == "list"
    assert declared["scale"].expected == "float"


@pytest.mark.parametrize(("type_name", "default", "value", "ok"), [
    ("int", 1, 2025, True), ("int", 1, "2025", False), ("int", 1, True, False), ("int", 1, 2.5, False),
    ("float", 1.0, 3, True), ("float", 1.0, 0.5, True), ("float", 1.0, "0.5", False),
    ("str", "", "nb", True), ("str", "", 5, False),
    ("bool", False, True, True), ("bool", False, 1, False),
    ("list", [], ["a"], True), ("List[str]", [], ["a", "b"], True), ("List[str]", [], ["a", 1], False),
    ("list", [], "a", False), ("Optional[int]", None, None, True), ("Optional[int]", None, 3, True),
    ("Optional[int]", None, "3", False),
    ("None", 5, 6, True), ("None", 5, "6", False), ("None", None, "anything", True),
])
def test_check_value_against_the_declared_type(type_name, default, value, ok):
    decl = Declared("p", type_name, default, "")
    if ok:
        check_value("nb1", decl, value, "test")
    else:
        with pytest.raises(BriefingError, match=r"notebook 'nb1': parameter 'p' must be "):
            check_value("nb1", decl, value, "test")


def test_wrong_type_message_names_notebook_parameter_type_value_and_source():
    with pytest.raises(BriefingError) as info:
        check_value("01_crime_trends", Declared("year", "int", 2025, ""), "2025", "params file x.yaml")
    assert str(info.value) == ("notebook '01_crime_trends': parameter 'year' must be int, "
                               "got str '2025' (from params file x.yaml)")


def test_an_int_for_a_float_becomes_a_float_and_lang_is_checked():
    assert check_value("n", Declared("scale", "float", 1.0, ""), 10, "t") == 10.0
    assert isinstance(check_value("n", Declared("scale", "float", 1.0, ""), 10, "t"), float)
    with pytest.raises(BriefingError, match="parameter 'lang' must be one of nb, en, got 'de'"):
        check_value("n", Declared("lang", "str", "nb", ""), "de", "t")


def test_path_parameters():
    assert [is_path_parameter(n) for n in ("data_dir", "out_path", "extract_file", "year", "dir")] == [
        True, True, True, False, False]


def declared_for_fixtures():
    return {
        "ok_table": {n: Declared(n, t, None, "") for n, t in
                     [("data_dir", "str"), ("year", "int"), ("lang", "str"), ("scale", "float")]},
        "second": {n: Declared(n, t, None, "") for n, t in [("year", "int"), ("threshold", "float")]},
    }


def params(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return load_params_file(tmp_path / name)


def test_precedence_defaults_files_in_order_then_options(tmp_path):
    briefing = load_briefing(FIXTURES / "briefing.yml")
    first = params(tmp_path, "a.yaml", "year: 2024\nscale: 100\nnotebooks:\n  second:\n    threshold: 0.25\n")
    (tmp_path / "sub").mkdir()
    second = params(tmp_path / "sub", "b.yaml", "data_dir: ../data\nnotebooks:\n  second:\n    year: 2023\n")
    resolved = resolve_parameters(briefing, declared_for_fixtures(), [first, second],
                                  defaults={"data_dir": "/default", "lang": "nb"}, options={"lang": "en"})
    assert resolved["ok_table"] == {"data_dir": str((tmp_path / "data").resolve()), "lang": "en",
                                    "year": 2024, "scale": 100.0}
    # the per-notebook year of the later file wins over the earlier top-level year
    assert resolved["second"] == {"year": 2023, "threshold": 0.25}


def test_unknown_keys_are_refused(tmp_path):
    briefing = load_briefing(FIXTURES / "briefing.yml")
    bad = params(tmp_path, "a.yaml", "colour: red\n")
    with pytest.raises(BriefingError, match=r"parameter\(s\) 'colour' are declared by no notebook"):
        resolve_parameters(briefing, declared_for_fixtures(), [bad])
    bad = params(tmp_path, "b.yaml", "notebooks:\n  second:\n    scale: 2.0\n")
    with pytest.raises(BriefingError, match=r"notebook 'second' does not declare parameter\(s\) 'scale' "
                                            r"\(it declares: year, threshold\)"):
        resolve_parameters(briefing, declared_for_fixtures(), [bad])
    bad = params(tmp_path, "c.yaml", "notebooks:\n  third:\n    year: 1\n")
    with pytest.raises(BriefingError, match="notebook 'third' is not in the briefing"):
        resolve_parameters(briefing, declared_for_fixtures(), [bad])


def test_params_files_with_only_selected_notebooks_stay_valid(tmp_path):
    # --only second: a key only ok_table declares is still a known key of the briefing
    briefing = load_briefing(FIXTURES / "briefing.yml").select(["second"])
    declared = declared_for_fixtures()
    file_ = params(tmp_path, "a.yaml", "scale: 3.0\nnotebooks:\n  ok_table:\n    lang: en\n")
    resolved = resolve_parameters(briefing, {"second": declared["second"]}, [file_], all_declared=declared)
    assert resolved == {"second": {}}


def test_params_file_shape_errors(tmp_path):
    assert load_params_file(params(tmp_path, "empty.yaml", "").path).values == {}
    with pytest.raises(BriefingError, match="must be a mapping"):
        params(tmp_path, "list.yaml", "- 1\n- 2\n")
    with pytest.raises(BriefingError, match="'notebooks' must map notebook names"):
        params(tmp_path, "nb.yaml", "notebooks: [a]\n")
    with pytest.raises(BriefingError, match="not valid YAML"):
        params(tmp_path, "bad.yaml", "a: [1\n")
    with pytest.raises(BriefingError, match="does not exist"):
        load_params_file(tmp_path / "missing.yaml")


def test_the_example_params_file_is_valid_yaml_for_the_runner():
    example = load_params_file(Path(__file__).parents[1] / "params" / "example.yaml")
    assert example.values["year"] == 2025 and example.values["lang"] == "nb"
    assert example.notebooks == {}
