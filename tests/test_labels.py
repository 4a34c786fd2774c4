"""salto_analysis.labels: every key in both languages, with the same fields, defined once, in its area."""

import ast
import string
from pathlib import Path

import pytest

from salto_analysis import labels

LABELS = Path(labels.__file__).parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_with_the_same_fields():
    problems = []
    for key, entry in labels.TEXT.items():
        if set(entry) != set(labels.LANGS):
            problems.append(f"{key}: languages {sorted(entry)}")
            continue
        if not all(isinstance(entry[lang], str) and entry[lang].strip() for lang in labels.LANGS):
            problems.append(f"{key}: empty text")
        if _fields(entry["nb"]) != _fields(entry["en"]):
            problems.append(f"{key}: nb fields {sorted(_fields(entry['nb']))} != en {sorted(_fields(entry['en']))}")
    assert not problems, "\n".join(problems)


def test_no_key_is_written_twice_in_any_module():
    """A dict literal keeps the last of two equal keys silently; the source must not have any."""
    seen: dict[str, str] = {}
    twice = []
    for path in sorted(LABELS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for k in node.keys:
                    if isinstance(k, ast.Constant) and isinstance(k.value, str) and "." in k.value \
                            and k.value.split(".")[0] in {p for ps in labels.AREAS.values() for p in ps}:
                        if k.value in seen:
                            twice.append(f"{k.value}: {seen[k.value]} and {path.name}")
                        seen[k.value] = path.name
    assert not twice, twice
    assert len(seen) == len(labels.TEXT)


def test_each_key_lives_in_the_module_of_its_area():
    from importlib import import_module

    misplaced = [f"{key} in labels/{area}.py" for area, prefixes in labels.AREAS.items()
                 for key in import_module(f"salto_analysis.labels.{area}").TEXT
                 if key.split(".")[0] not in prefixes]
    assert not misplaced, misplaced
    modules = {p.stem for p in LABELS.glob("*.py")} - {"__init__"}
    assert modules == set(labels.AREAS), "every label module is listed in labels.AREAS"


def test_unknown_key_and_language_give_clear_errors():
    with pytest.raises(KeyError, match=r"add it to salto_analysis/labels/trends\.py"):
        labels.t("trends.no_such_key", "nb")
    with pytest.raises(ValueError, match="'de' is not supported"):
        labels.t("common.synthetic_banner", "de")
    assert labels.t("common.synthetic_banner", "en").startswith("SYNTHETIC DATA")
