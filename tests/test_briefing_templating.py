"""salto_analysis.briefing.templating: number formats, the stylesheet and the doctests of the package."""

from __future__ import annotations

import doctest
import importlib

import pytest

from salto_analysis.briefing.templating import format_duration, format_number, render_template, stylesheet


@pytest.mark.parametrize(("value", "lang", "digits", "text"), [
    (1234567.891, "nb", 2, "1\u00a0234\u00a0567,89"),
    (1234567.891, "en", 2, "1,234,567.89"),
    (-3.25, "nb", 1, "\u22123,2"),  # Python rounds half to even: -3.25 -> -3.2
    (0.0, "en", 0, "0"),
    (None, "nb", 1, ":"),
    (float("nan"), "en", 1, ":"),
])
def test_format_number(value, lang, digits, text):
    assert format_number(value, lang, digits) == text


def test_format_duration():
    assert format_duration(12.345, "nb") == "12,3 s"
    assert format_duration(12.345, "en") == "12.3 s"


def test_stylesheet_is_offline():
    css = stylesheet(lab=True)
    assert ".jp-OutputArea" in css and "salto-toc" in css
    assert "http" not in css and "@import" not in css and "@font-face" not in css
    assert "/*" not in css.split("/* salto-briefing:")[0], "JupyterLab's comments are stripped"


def test_templates_escape_text():
    html = render_template("run_details.html.j2", lang="en", duration=1.0,
                           details={"started": "<now>", "git": {"commit": None, "dirty": None}, "inputs": [],
                                    "versions": {}},
                           parameters={"nb": {"title": "<script>alert(1)</script>"}})
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;now&gt;" in html


@pytest.mark.parametrize("module", ["records", "publish", "templating"])
def test_doctests(module):
    result = doctest.testmod(importlib.import_module(f"salto_analysis.briefing.{module}"))
    assert result.attempted > 0 and result.failed == 0
