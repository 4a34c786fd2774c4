"""salto_analysis.briefing.templating: durations, the stylesheet and rendering."""

from __future__ import annotations


from salto_analysis.briefing.templating import format_duration, print_header_css, render_template, stylesheet


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


def test_print_header_is_an_escaped_css_string_of_banner_and_title():
    css = print_header_css('Side "1" </style>', "SYNTETISKE DATA – tallene er laget for utprøving")
    text = css.split('content: "', 1)[1].split('"', 1)[0]
    assert css.startswith("@page { @top-left { content: ")
    assert "</style" not in css and "SYNTETISKE" not in css
    decoded = "".join(chr(int(h, 16)) for h in text.replace("\\", " ").split())
    assert decoded == 'SYNTETISKE DATA – Side "1" </style>'
    assert print_header_css("Tittel").count("\\") == len("Tittel")


def test_print_stylesheet_unfolds_wraps_and_numbers_pages():
    css = stylesheet(lab=False)
    print_part = css.split("@media print", 1)[1]
    assert "details::details-content" in print_part and "content-visibility: visible" in print_part
    assert "counter(page)" in css and "size: A4" in css
    assert "break-after: avoid" in print_part and "overflow-wrap: anywhere" in print_part
