"""salto_analysis.briefing.html: reviewer pages from executed notebooks (no kernel needed)."""

from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from salto_analysis import report
from salto_analysis.briefing.html import (
    link_pages,
    NBCONVERT_DEFAULT_ALT,
    add_toc,
    default_alt_images,
    export_page,
    external_references,
    one_h1,
    shows_banner,
)
from salto_analysis.briefing.records import MIMETYPE

# A 1x1 PNG (the smallest valid image).
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def executed_notebook():
    """What papermill leaves behind, written by hand."""
    params = new_code_cell("year: int = 2025  # reporting year", metadata={"tags": ["parameters"]})
    injected = new_code_cell("# Parameters\nyear = 2030\n", metadata={"tags": ["injected-parameters"]})
    table = new_code_cell("briefing.record('x', t)\nt", outputs=[
        new_output("display_data", data={MIMETYPE: {"name": "x", "rows": [[1]]}}),
        new_output("stream", name="stderr", text="/home/analyst/x.py:3: UserWarning: hidden\n"),
        new_output("execute_result", data={"text/html": "<table><tr><td>12,3</td></tr></table>",
                                           "text/plain": "12.3"}, execution_count=3),
    ])
    figure = new_code_cell("plt.show()", outputs=[new_output("display_data", data={"image/png": PNG,
                                                                                    "text/plain": "<Figure>"})])
    secret = new_code_cell("print('x')", metadata={"tags": ["remove-cell"]},
                           outputs=[new_output("stream", name="stdout", text="REMOVED CELL OUTPUT\n")])
    silent = new_code_cell("import pandas as pd")
    return new_notebook(cells=[
        new_markdown_cell("# Kriminalitet\n\nHva notatboken svarer på."),
        params, injected, silent,
        new_markdown_cell("## Tabell"), table,
        new_markdown_cell("### Figur"), figure, secret,
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def with_banner(nb, *, tags=()):
    """``nb`` with a cell showing report.banner (the notebooks' own synthetic-data banner) after the title."""
    b = report.banner(True, "nb")
    cell = new_code_cell("report.banner(True, lang)", metadata={"tags": list(tags)}, outputs=[
        new_output("execute_result", data={"text/html": b.html, "text/plain": b.text}, execution_count=4)])
    nb.cells.insert(1, cell)
    return nb


def export(tmp_path, notebook=None, **kw):
    args = dict(title="Registrert kriminalitet", subtitle="Rapporteringsår 2025", lang="nb", synthetic=True,
                run_details='<section id="run-details"><h2>Kjøringsdetaljer</h2></section>')
    args.update(kw)
    size = export_page(notebook or executed_notebook(), tmp_path / "page.html", **args)
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert size == len(text.encode("utf-8"))
    return text


def test_page_hides_code_parameters_payloads_and_warnings(tmp_path):
    text = export(tmp_path)
    for hidden in ("briefing.record", "year = 2030", "year: int", "import pandas", "plt.show",
                   MIMETYPE, "UserWarning", "/home/analyst", "REMOVED CELL OUTPUT", "In&nbsp;["):
        assert hidden not in text, hidden
    assert "<td>12,3</td>" in text
    assert f'src="data:image/png;base64,{PNG}"' in text


def test_page_has_title_banner_toc_and_run_details(tmp_path):
    text = export(tmp_path)
    assert "<title>Registrert kriminalitet</title>" in text
    assert '<h1 class="salto-title">Registrert kriminalitet</h1>' in text
    assert "SYNTETISKE DATA" in text and '<html lang="nb">' in text
    nav = re.search(r'<nav class="salto-toc".*?</nav>', text, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', nav) == ["Kriminalitet", "Tabell", "Figur", "run-details"]
    assert 'id="Tabell"' in text and '<section id="run-details">' in text
    assert not external_references(text) and "<script" not in text


def test_no_banner_for_real_data_and_english(tmp_path):
    text = export(tmp_path, synthetic=False, lang="en", title="Crime")
    assert "SYNTHETIC" not in text and "SYNTETISKE" not in text
    assert '<html lang="en">' in text and "Back to the index" in text and ">Contents<" in text


def test_exactly_one_banner_whether_or_not_the_notebook_shows_one(tmp_path):
    # a notebook without report.banner on synthetic data: the page header adds it
    plain = export(tmp_path)
    assert plain.count('class="salto-banner"') == 1
    assert re.search(r'<header class="salto-header">.*class="salto-banner".*</header>', plain, re.S)
    # a notebook showing report.banner: the header adds none, the notebook's stays
    own = export(tmp_path, with_banner(executed_notebook()))
    assert own.count('class="salto-banner"') == 1 and own.count("SYNTETISKE DATA") == 1
    header = re.search(r'<header class="salto-header">.*?</header>', own, re.S).group(0)
    assert "salto-banner" not in header
    # real data: no banner from the header (the notebook shows none for real data)
    assert export(tmp_path, synthetic=False).count('class="salto-banner"') == 0


def test_shows_banner_ignores_removed_cells():
    assert not shows_banner(executed_notebook())
    assert shows_banner(with_banner(executed_notebook()))
    assert not shows_banner(with_banner(executed_notebook(), tags=["remove-cell"]))
    assert not shows_banner(with_banner(executed_notebook(), tags=["remove-output"]))


def test_add_toc_levels_and_escaping():
    page = ('<header><!-- salto:toc --></header><main><h1 id="a">A &amp; B<a class="anchor-link">¶</a></h1>'
            '<h3 id="c">C</h3><h4 id="d">D</h4></main><h2 id="x">after main</h2>')
    out = add_toc(page, "en")
    assert '<li class="salto-toc-1"><a href="#a">A &amp; B</a></li>' in out
    assert '<li class="salto-toc-3"><a href="#c">C</a></li>' in out
    assert "#d" not in out and "#x" not in out


def test_external_references_finds_what_a_browser_would_fetch():
    leaks = [
        '<script src="https://cdn.jsdelivr.net/npm/require.js"></script>',
        "<link rel=stylesheet href='http://fonts.example/css'>",
        '<img src="//example.org/a.png">',
        "<style>@import url(https://fonts.googleapis.com/css);</style>",
        "<div style=\"background: url('http://example.org/bg.png')\"></div>",
        '<img srcset="a.png 1x, https://example.org/b.png 2x">',
    ]
    for snippet in leaks:
        assert external_references(snippet), snippet
    fine = ['<a href="https://www.ssb.no/">SSB</a>', '<img src="data:image/png;base64,AAAA">',
            "<p>see https://example.org</p>", '<link href="#x">']
    for snippet in fine:
        assert external_references(snippet) == [], snippet


def chart_output():
    """The display output a notebook cell gets for a figure of salto_analysis.plots."""
    import base64

    import matplotlib
    import pandas as pd
    from salto_analysis import plots
    from salto_analysis.estimates import estimate_table

    matplotlib.use("Agg")
    t = estimate_table(pd.DataFrame({"year": [2024, 2025], "count": [40, 50], "exposure": [1000.0, 1000.0],
                                     "estimate": [40.0, 50.0], "ci_low": [28.6, 37.1], "ci_high": [54.5, 65.9],
                                     "flag": ["ok", "ok"], "flag_reason": [pd.NA, pd.NA]}),
                       groups=["year"], kind="rate", measure="test", unit="x", method="hand", confidence_level=0.95,
                       scale=1000)
    t.attrs.update({"graded": True, "policy": {"min_count": 5, "lang": "nb"}})
    fig = plots.estimates(t, "year", kind="line", title="Mistenkte", synthetic=False)
    data, metadata = fig._repr_mimebundle_()  # what fig._ipython_display_ publishes
    data["image/png"] = base64.b64encode(data["image/png"]).decode("ascii")
    return new_output("display_data", data=data, metadata=metadata), fig.alt_text


def test_figures_keep_their_alt_text_and_data_table_in_the_page(tmp_path):
    import html as html_

    output, alt = chart_output()
    nb = executed_notebook()
    nb.cells[-2].outputs = [output]  # the figure cell shows a salto_analysis.plots figure
    text = export(tmp_path, nb)
    assert f'alt="{html_.escape(alt)}"' in text and alt.startswith("Linjediagram: mistenkte")
    assert NBCONVERT_DEFAULT_ALT not in text and default_alt_images(text) == 0
    assert "<figcaption" in text and "<summary>Tallene i figuren</summary>" in text
    # negative control: the bare matplotlib PNG of the unchanged notebook gets nbconvert's default
    assert default_alt_images(export(tmp_path)) == 1


def test_one_h1_per_page(tmp_path):
    text = export(tmp_path)  # the notebook starts with "# Kriminalitet"
    assert len(re.findall(r"<h1\b", text)) == 1 and re.search(r'<h2 id="Kriminalitet"', text)
    assert one_h1("<h1>t</h1><main><h1 id=a>x</h1><h2>y</h2></main><h1>z</h1>") == (
        "<h1>t</h1><main><h2 id=a>x</h2><h2>y</h2></main><h1>z</h1>")


def test_run_details_are_a_footer_landmark():
    from salto_analysis.briefing.templating import render_template

    block = render_template("run_details.html.j2", lang="nb", duration=1.0,
                            details={"started": "nå", "git": {"commit": None, "dirty": None}, "inputs": [],
                                     "versions": {}}, parameters={})
    assert block.lstrip().startswith('<footer class="salto-run-details" id="run-details"')
    assert block.rstrip().endswith("</footer>")


def test_contents_do_not_number_a_numbered_heading_twice():
    page = '<header><!-- salto:toc --></header><main><h2 id="a">1. Mistenkte</h2><h2 id="b">2.1 Under</h2></main>'
    out = add_toc(page, "nb")
    assert '<a href="#a">Mistenkte</a>' in out and '<a href="#b">Under</a>' in out and "1. Mistenkte</a>" not in out


def test_every_page_links_to_the_previous_and_next_page(tmp_path):
    titles = ["Data", "Trender", "Rus"]
    paths = []
    for k, title in enumerate(titles):
        export(tmp_path, title=title)
        path = tmp_path / f"0{k}_{title.lower()}.html"
        (tmp_path / "page.html").rename(path)
        paths.append(path)
    link_pages(list(zip(paths, titles)), "nb")
    first, middle, last = (p.read_text(encoding="utf-8") for p in paths)
    assert "salto:pagenav" not in first + middle + last
    assert 'href="01_trender.html" rel="next">Neste side: Trender' in first and 'rel="prev"' not in first
    assert middle.count('href="00_data.html" rel="prev">&larr; Forrige side: Data') == 2  # header and end of page
    assert middle.count('href="02_rus.html" rel="next">Neste side: Rus &rarr;') == 2
    assert 'rel="next"' not in last and 'rel="prev"' in last
    # the end-of-page links are a landmark of their own, inside main
    assert re.search(r'<nav class="salto-pagenav" aria-label="Videre lesing">.*?</nav>\s*</main>', middle, re.S)
    assert len(re.findall(r'<nav (?=[^>]*class="salto-nav")(?=[^>]*aria-label="Sidene i kunnskapsgrunnlaget")', middle)) == 1


def test_cells_tagged_appendix_move_to_a_folded_appendix_under_their_section(tmp_path):
    nb = executed_notebook()
    note = new_code_cell("page.note('method')", metadata={"tags": ["appendix"]}, outputs=[
        new_output("display_data", data={"text/markdown": "Metoden: regnet slik.", "text/plain": "m"})])
    nb.cells.insert(6, note)  # after the table of section "Tabell"
    nb.cells.append(new_markdown_cell("## Slik leser du tallene\n\nLes slik."))
    text = export(tmp_path, notebook=nb)
    main = text.split("<main>", 1)[1].split("</main>", 1)[0]
    reviewer, _, appendix = main.partition('<details class="salto-appendix" id="salto-appendix">')
    assert appendix, "no appendix"
    # the reviewer layer keeps its order without the tagged cell; the reading guide ends it
    assert "Metoden: regnet slik." not in reviewer and "Slik leser du tallene" in reviewer
    assert reviewer.index("12,3") < reviewer.index("Slik leser du tallene")
    # the appendix: folded (no open attribute), titled, the cell under a copy of its section's heading, one level down
    assert appendix.startswith('<summary><h2 id="teknisk-vedlegg">Teknisk vedlegg</h2>')
    assert re.search(r"<h3[^>]*>Tabell \(vedlegg\)", appendix) and "Metoden: regnet slik." in appendix
    assert appendix.split("<!-- salto:pagenav-end -->")[0].rstrip().endswith("</details>")
    nav = re.search(r'<nav class="salto-toc".*?</nav>', text, re.S).group(0)
    assert "Teknisk vedlegg" in nav and "Tabell (vedlegg)" in nav


def test_a_page_without_tagged_cells_has_no_appendix(tmp_path):
    assert "salto-appendix" not in export(tmp_path).split("<main>", 1)[1]
