"""Reviewer HTML: one self-contained page per executed notebook, via nbconvert.

What nbconvert does not do by itself, and how this module closes the gap
(``docs/conventions.md#reviewer-html`` and ``#pitfalls-we-work-around``):

* **Code hidden**: ``exclude_input`` and no prompts. Papermill's report mode only
  sets ``jupyter.source_hidden``, which nbconvert ignores (nbconvert #445, #506).
* **Cells removed** with :class:`~nbconvert.preprocessors.TagRemovePreprocessor`:
  ``injected-parameters`` (papermill's cell), ``remove-cell`` (Jupyter Book's
  tag), ``parameters``; ``remove-input``/``remove-output`` are honoured too.
  :class:`ReviewerView` also drops the record payloads
  (:data:`~salto_analysis.briefing.records.MIMETYPE`), stderr streams (Python
  warnings, which name files on the analyst's machine) and code cells left
  without output.
* **Offline**: the template ``salto_page`` extends ``lab`` and blanks the blocks
  that load require.js, MathJax, mermaid and widgets from CDNs (nbconvert #754);
  the stylesheet is inlined without its comments; matplotlib figures are
  embedded PNG or SVG. :func:`external_references` finds anything left that
  would make the browser contact another host; the runner refuses such a page.
* **Two layers**: cells tagged ``appendix`` move to a technical appendix at the end of the
  page, folded (``<details>``) on screen and open in print (:class:`ReviewerView`,
  :func:`fold_appendix`); the reviewer layer above it is the page without them.
* **Previous/next links** (:func:`link_pages`, once every page of the run is written):
  in the header beside the link back to the index, and at the end of the main text.
* **Table of contents** built from the rendered headings (their ``id``s are
  nbconvert's anchors, so every link resolves), a title from
  ``notebooks/briefing.yml``, the synthetic-data banner and the run details.
* **One h1**: the page header holds the page's only ``<h1>``; a notebook's own
  top-level Markdown heading (``# ...``) becomes an ``<h2>`` (:func:`one_h1`), so
  screen-reader users find one page title (WCAG 2.4.6, 1.3.1).
* **Figures keep their text alternative**: a figure of :mod:`salto_analysis.plots`
  shows itself as HTML (``<figure>`` with the alt text written from its numbers
  and a folded table of them), which nbconvert copies as it is; only a bare
  matplotlib PNG would get nbconvert's default "No description has been provided
  for this image" (:func:`default_alt_images` counts those; the briefing tests
  require none).
* **One banner**: notebooks show their own synthetic-data banner with
  :func:`salto_analysis.report.banner`; the page header adds one only when the
  executed notebook shows none (:func:`shows_banner`), so a reviewer sees
  exactly one banner whichever way the notebook was written.
"""

from __future__ import annotations

import html as _html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets.config import Config

from salto_analysis import labels
from salto_analysis.briefing.records import MIMETYPE
from salto_analysis.briefing.templating import TEMPLATES, print_header_css, stylesheet

__all__ = ["APPENDIX_TAG", "APPENDIX_MARKER", "fold_appendix", "MAX_BYTES", "PAGENAV", "PAGENAV_END", "link_pages", "REMOVE_CELL_TAGS", "BANNER_MARKER", "NBCONVERT_DEFAULT_ALT", "ReviewerView",
           "export_page", "add_toc", "one_h1", "default_alt_images", "external_references", "shows_banner"]

#: Largest page the runner publishes (issue 7: each file at most 3 MB).
MAX_BYTES = 3 * 1024 * 1024
REMOVE_CELL_TAGS = ("injected-parameters", "parameters", "remove-cell", "papermill-error-cell-tag")
#: The HTML class of the synthetic-data banner (``report.banner`` and the page header use it).
BANNER_MARKER = 'class="salto-banner"'
#: The alt text nbconvert gives an image output that has no text alternative of its own.
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"


#: Cell tag of the technical appendix: tagged cells move, in order, to a folded section at the end.
APPENDIX_TAG = "appendix"
#: The HTML the appendix starts with (:func:`fold_appendix` folds the page from there on).
APPENDIX_MARKER = '<div class="salto-appendix-marker"></div>'


def _heading_text(cell) -> str | None:
    """The Markdown heading (``## Title``) a cell shows, or ``None``: a Markdown cell, or a code cell whose
    only output is Markdown (``page.heading``)."""
    if cell.cell_type == "markdown":
        text = cell.source
    else:
        outs = cell.get("outputs", [])
        if len(outs) != 1 or "text/markdown" not in outs[0].get("data", {}):
            return None
        text = outs[0]["data"]["text/markdown"]
        text = "".join(text) if isinstance(text, list) else text
    text = text.strip()
    return text if re.match(r"#{1,4} ", text) and "\n" not in text else None


def _demoted(heading: str, suffix: str = ""):
    """Heading ``## X`` one level down (``### X``), as a Markdown cell; ``suffix`` keeps a copy's anchor
    apart from the original's."""
    return nbformat.v4.new_markdown_cell("#" + heading + suffix)


class ReviewerView(Preprocessor):
    """Drop what a reviewer must not see: record payloads, stderr, empty code cells; move the cells tagged
    :data:`APPENDIX_TAG` to the technical appendix at the end of the page.

    Two layers (issue 12): the reviewer layer is the page in its order without the tagged cells;
    the appendix holds the tagged cells in their order, each under the heading of the section
    it came from (a heading cell that is tagged itself moves as it is), one level down, after
    :data:`APPENDIX_MARKER`. :func:`fold_appendix` folds it in the HTML.
    """

    def preprocess(self, nb, resources):
        lang = (resources.get("salto") or {}).get("lang", "nb")
        suffix = f" ({labels.t('briefing.appendix_section', lang)})"
        cells, appendix = [], []
        section, copied = None, None
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [
                    out for out in cell.get("outputs", [])
                    if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
                    and MIMETYPE not in out.get("data", {})
                ]
                if not cell.outputs:
                    continue
            heading = _heading_text(cell)
            if heading is not None:
                section = heading
            if APPENDIX_TAG in cell.get("metadata", {}).get("tags", []):
                if heading is not None:
                    appendix.append(_demoted(heading))
                    copied = heading
                    continue
                if section is not None and copied != section:
                    appendix.append(_demoted(section, suffix))
                    copied = section
                appendix.append(cell)
                continue
            cells.append(cell)
        if appendix:
            marker = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
                "display_data", data={"text/html": APPENDIX_MARKER})])
            cells += [marker, *appendix]
        nb.cells = cells
        return nb, resources


def fold_appendix(page: str, lang: str) -> str:
    """Fold the technical appendix: from the cell holding :data:`APPENDIX_MARKER` to the end of the main
    text, inside ``<details class="salto-appendix">`` (closed on screen; the print stylesheet opens it)."""
    at = page.find(APPENDIX_MARKER)
    if at < 0:
        return page
    start = page.rfind('<div class="jp-Cell ', 0, at)
    end = page.find(PAGENAV_END, at)
    if end < 0:
        end = page.find("</main>", at)
    if start < 0 or end < 0:
        return page
    title = _html.escape(labels.t("briefing.appendix", lang))
    hint = _html.escape(labels.t("briefing.appendix_hint", lang))
    opening = (f'<details class="salto-appendix" id="salto-appendix"><summary><h2 id="teknisk-vedlegg">{title}</h2>'
               f'<span class="salto-appendix-hint">{hint}</span></summary>\n')
    return page[:start] + opening + page[start:end] + "</details>\n" + page[end:]


def shows_banner(nb: nbformat.NotebookNode) -> bool:
    """Whether the executed notebook shows the synthetic-data banner of :func:`salto_analysis.report.banner`.

    Looks for :data:`BANNER_MARKER` in the HTML outputs of the code cells the
    reviewer page keeps (cells tagged for removal, or whose output is removed,
    do not count).
    """
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & (set(REMOVE_CELL_TAGS) | {"remove-output"}):
            continue
        for out in cell.get("outputs", []):
            markup = out.get("data", {}).get("text/html", "")
            if isinstance(markup, list):
                markup = "".join(markup)
            if BANNER_MARKER in markup:
                return True
    return False


_HEADING = re.compile(r"<h([1-3])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+")


def add_toc(page: str, lang: str) -> str:
    """Replace the ``<!-- salto:toc -->`` marker with links to the page's h1–h3 headings."""
    body = page.split("<main>", 1)[-1].split("</main>", 1)[0]
    items = []
    for level, anchor, inner in _HEADING.findall(body):
        text = _html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        text = _NUMBERED.sub("", text)  # the list numbers the items; a heading's own "1." would read "1. 1."
        if text:
            items.append(
                f'<li class="salto-toc-{min(int(level), 3)}"><a href="#{anchor}">{_html.escape(text)}</a></li>'
            )
    if 'id="run-details"' in page:
        items.append(f'<li class="salto-toc-1"><a href="#run-details">'
                     f'{_html.escape(labels.t("briefing.run_details", lang))}</a></li>')
    toc = ""
    if items:
        toc = (f'<nav class="salto-toc" aria-label="{_html.escape(labels.t("briefing.contents", lang))}">'
               f'<h2>{_html.escape(labels.t("briefing.contents", lang))}</h2><ol>' + "".join(items) + "</ol></nav>")
    return page.replace("<!-- salto:toc -->", toc, 1)


PAGENAV = "<!-- salto:pagenav -->"
PAGENAV_END = "<!-- salto:pagenav-end -->"


def link_pages(pages: list[tuple[str | Path, str]], lang: str) -> None:
    """Give every page of a run links to the previous and next page (in briefing order).

    ``pages`` are ``(path, title)`` of the written pages; the links go where
    :func:`export_page` left the markers :data:`PAGENAV` (in the header, after the link
    back to the index) and :data:`PAGENAV_END` (at the end of the page's main text).
    A page without markers is left as it is.
    """
    pages = [(Path(p), t) for p, t in pages]
    for k, (path, _) in enumerate(pages):
        links = []
        if k > 0:
            prev_path, prev_title = pages[k - 1]
            links.append(f'<a class="salto-prev" href="{_html.escape(prev_path.name)}" rel="prev">&larr; '
                         f'{_html.escape(labels.t("briefing.previous_page", lang))}: {_html.escape(prev_title)}</a>')
        if k + 1 < len(pages):
            next_path, next_title = pages[k + 1]
            links.append(f'<a class="salto-next" href="{_html.escape(next_path.name)}" rel="next">'
                         f'{_html.escape(labels.t("briefing.next_page", lang))}: {_html.escape(next_title)} &rarr;</a>')
        page = path.read_text(encoding="utf-8")
        if PAGENAV not in page:
            continue
        top = "".join(f'<span class="salto-pagenav-sep"> | </span>{a}' for a in links)
        end = (f'<nav class="salto-pagenav" aria-label="{_html.escape(labels.t("briefing.page_nav_end", lang))}">'
               + "".join(links) + "</nav>") if links else ""
        path.write_text(page.replace(PAGENAV, top, 1).replace(PAGENAV_END, end, 1), encoding="utf-8")


_H1 = re.compile(r"<(/?)h1\b", re.I)


def one_h1(page: str) -> str:
    """Turn every ``<h1>`` inside ``<main>`` into ``<h2>``: the header's title stays the page's only h1."""
    head, sep, rest = page.partition("<main>")
    if not sep:
        return page
    body, sep2, tail = rest.partition("</main>")
    return head + sep + _H1.sub(r"<\1h2", body) + sep2 + tail


def default_alt_images(page: str) -> int:
    """How many images of ``page`` carry nbconvert's default alt text (0 when every figure has its own)."""
    return page.count(f'alt="{NBCONVERT_DEFAULT_ALT}"')


# Anything that makes a browser fetch from another host: src/href of scripts, styles,
# images, frames and fonts, CSS url() and @import, protocol-relative URLs.
_EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|audio|video|source|embed|input)\b[^>]*?\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|\bsrcset\s*=\s*["'][^"']*(?:https?:)?//)""",
    re.I,
)


def external_references(page: str) -> list[str]:
    """Snippets of ``page`` that would load a resource from another host (empty if none)."""
    return [page[max(m.start() - 20, 0): m.end() + 60].replace("\n", " ") for m in _EXTERNAL.finditer(page)]


def _exporter(lang: str) -> HTMLExporter:
    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.language_code = lang
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input", "hide-input"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    exporter = HTMLExporter(config=c, template_name="salto_page", extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
    exporter.register_preprocessor(ReviewerView, enabled=True)
    return exporter


def export_page(
    notebook: str | Path | nbformat.NotebookNode,
    out: str | Path,
    *,
    title: str,
    subtitle: str,
    lang: str,
    synthetic: bool,
    run_details: str,
) -> int:
    """Write the reviewer page of an executed notebook to ``out``; return its size in bytes.

    With ``synthetic`` the header carries the synthetic-data banner, unless the
    notebook already shows its own (:func:`shows_banner`).
    """
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), as_version=4)
    header_banner = synthetic and not shows_banner(nb)
    nb.metadata["title"] = title
    resources = {
        "salto": {
            "css": stylesheet(lab=True),
            "title": _html.escape(title),
            "subtitle": _html.escape(subtitle),
            "banner": _html.escape(labels.t("common.synthetic_banner", lang)) if header_banner else "",
            "back_label": _html.escape(labels.t("briefing.back_to_index", lang)),
            "nav_label": _html.escape(labels.t("briefing.page_nav", lang)),
            "lang": lang,
            "print_css": print_header_css(title, labels.t("common.synthetic_banner", lang) if synthetic else ""),
            "run_details": run_details,
        }
    }
    page, _ = _exporter(lang).from_notebook_node(nb, resources=resources)
    page = add_toc(fold_appendix(one_h1(page), lang), lang)
    data = page.encode("utf-8")
    Path(out).write_bytes(data)
    return len(data)
