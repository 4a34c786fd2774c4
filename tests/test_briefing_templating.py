"""salto_analysis.briefing.templating: durations, the stylesheet and rendering."""

from __future__ import annotations


from salto_analysis.briefing.templating import format_duration, render_template, stylesheet


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
