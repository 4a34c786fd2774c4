"""An accessible matplotlib figure: alt text, the figure's numbers beside it, sharp at 2x.

:class:`Chart` is a :class:`matplotlib.figure.Figure` (the functions of
:mod:`salto_analysis.plots` return one; everything matplotlib offers still works) that
shows itself in JupyterLab and in the nbconvert HTML as

.. code-block:: html

    <figure class="salto-figure">
      <figcaption>title</figcaption>
      <img alt="text alternative built from the plotted numbers" src="data:image/png;base64,..." ...>
      <p>note on values not shown</p>
      <details><summary>Numbers in the figure</summary><table>...</table></details>
    </figure>

which is what WCAG 2.1 success criterion 1.1.1 (non-text content) asks of a chart
and what the UK Government Analysis Function / ONS chart guidance recommends: a text
alternative that gives the chart's message (what is shown, the main finding, the
range) and the data of the chart next to it. The title and the note are HTML text in
the caption (they wrap and stay readable on a phone) and are left out of the image.

In a notebook the figure displays itself (``_ipython_display_``) with one bundle:
``text/html`` (the above), the same PNG as ``image/png`` for front ends without HTML,
and the title and alt text as ``text/plain``; so the inline backend does not render
it a second time. ``_repr_png_`` (a PNG with the title and note drawn) serves other
tools.

* **Alt text** (:attr:`Chart.alt`): sentences written by the plotting function from
  the numbers it drew, in the page's language; never nbconvert's default "No
  description has been provided for this image".
* **Data table** (:attr:`Chart.data`): the same plotted numbers, formatted as the
  report's tables, with ``:`` for a value not shown (Statistics Norway's symbol).
* **Sharp**: the PNG has :data:`SCALE` (2) image pixels per CSS pixel; the ``<img>``
  carries the 1x size and ``max-width:100%``, so it scales down on a phone. It is stored
  with a 256-colour palette, which keeps a figure at 20–50 kB.
* **Labels that must not overlap** are placed at draw time by a function added with
  :meth:`Chart.before_draw` (for example :func:`salto_analysis.label_placement.place`),
  after the layout engine has fixed the axes, so placement holds at every dpi.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from PIL import Image

from salto_analysis import labels

__all__ = ["SCALE", "Chart", "DataTable"]

#: Image pixels per CSS pixel of the embedded PNG (sharp on 2x screens and when zoomed).
SCALE = 2


@dataclass
class DataTable:
    """The numbers of a figure as text cells: ``columns`` (headers), ``rows`` (cells),
    ``numeric`` (which columns are right-aligned), ``notes`` (lines under the table)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_html(self) -> str:
        """A plain HTML table: header cells with ``scope="col"``, numbers right-aligned and text left-aligned
        (JupyterLab right-aligns every cell; its stylesheet and the briefing's style the rest)."""
        esc = html.escape
        numeric = self.numeric or [False] * len(self.columns)
        align = {True: ' style="text-align:right"', False: ' style="text-align:left"'}
        head = "".join(f'<th scope="col"{align[bool(n)]}>{esc(c)}</th>' for c, n in zip(self.columns, numeric))
        body = "".join(
            "<tr>" + "".join(f"<td{align[bool(n)]}>{esc(str(v))}</td>" for v, n in zip(row, numeric)) + "</tr>"
            for row in self.rows)
        notes = "".join(f'<p class="salto-figure-table-note">{esc(n)}</p>' for n in self.notes)
        return (f'<table class="salto-figure-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
                f"{notes}")


def _palette_png(data: bytes) -> bytes:
    """The PNG ``data`` stored with a palette of at most 256 colours, without dithering.

    A chart has a few flat colours plus the anti-aliased edges between them, so a
    256-colour palette (Pillow's fast octree quantizer) keeps it visibly the same at a
    fifth of the size (about 25 kB instead of 125 kB for a 1120 x 720 line chart).
    """
    with Image.open(io.BytesIO(data)) as image:
        quantized = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                                  dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


class Chart(Figure):
    """A matplotlib figure with a text alternative and its numbers (see the module docstring).

    The plotting functions fill :attr:`alt` (sentences), :attr:`data` (a
    :class:`DataTable`), :attr:`lang`, and register the title and the note with
    :meth:`set_caption`. Code that draws more on a returned figure (a reference
    line, say) adds a sentence with ``fig.alt.append(...)`` and rows to ``fig.data``.
    ``anchor`` sets the ``id`` of the ``<figure>`` element (for links to it).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang = "nb"
        self.alt: list[str] = []
        #: Notes written under the image in HTML only (the PNG's own note is the caption note).
        self.notes: list[str] = []
        self.data = DataTable()
        self.anchor: str | None = None
        self._title = None
        self._note = None
        self._rect_with_note: tuple | None = None
        self._rect_without_note: tuple | None = None
        self._before_draw: list[Callable] = []

    # ------------------------------------------------------------------ content
    @property
    def alt_text(self) -> str:
        """The text alternative: the sentences of :attr:`alt` joined, and where the numbers are."""
        sentences = [s.strip() for s in (*self.alt, self.note_text, *self.notes) if s and s.strip()]
        if self.data.rows:
            sentences.append(labels.t("plots.alt.see_table", self.lang))
        return " ".join(sentences)

    def set_caption(self, title=None, note=None, *, rect_with_note=None, rect_without_note=None) -> None:
        """Register the title artist and the note artist (both drawn in the PNG only) and the
        layout rectangles of the constrained layout with and without the note's space."""
        self._title, self._note = title, note
        self._rect_with_note, self._rect_without_note = rect_with_note, rect_without_note

    @property
    def title_text(self) -> str:
        return self._title.get_text() if self._title is not None else ""

    @property
    def note_text(self) -> str:
        return self._note.get_text() if self._note is not None else ""

    def before_draw(self, function: Callable) -> None:
        """Call ``function(renderer)`` before every draw, after the layout engine placed the axes."""
        self._before_draw.append(function)

    def draw(self, renderer):
        if self._before_draw:
            engine = self.get_layout_engine()
            if engine is not None and self.axes:
                engine.execute(self)
            for function in self._before_draw:
                function(renderer)
        return super().draw(renderer)

    # ------------------------------------------------------------------ rendering
    def png(self, *, captions: bool = True, scale: float = SCALE, palette: bool = True) -> bytes:
        """The figure as PNG at ``scale`` image pixels per CSS pixel; without the title and
        the note when ``captions`` is false (the HTML writes them as text). With ``palette``
        the image is stored with at most 256 colours (:func:`_palette_png`)."""
        saved = []
        for artist in (self._title, self._note):
            if artist is not None and not captions:
                saved.append((artist, artist.get_visible()))
                artist.set_visible(False)
        engine = self.get_layout_engine()
        rect = None
        if not captions and self._rect_without_note is not None and engine is not None:
            rect = self._rect_with_note
            engine.set(rect=self._rect_without_note)
        try:
            buf = io.BytesIO()
            self.savefig(buf, format="png", dpi=self.dpi * scale, metadata={"Software": None})
            return _palette_png(buf.getvalue()) if palette else buf.getvalue()
        finally:
            for artist, visible in saved:
                artist.set_visible(visible)
            if rect is not None:
                engine.set(rect=rect)

    def to_html(self, png: bytes | None = None) -> str:
        """``<figure>`` with the caption, the image with its alt text and the folded data table
        (``png``: the image, when already rendered by :meth:`png` without captions)."""
        esc = html.escape
        width, height = self.css_size()
        data = base64.b64encode(png if png is not None else self.png(captions=False)).decode("ascii")
        ident = f' id="{esc(self.anchor)}"' if self.anchor else ""
        parts = [f'<figure class="salto-figure"{ident} style="margin:0.6em 0 1.4em 0;max-width:{width}px">']
        if self.title_text:
            parts.append(f'<figcaption style="font-weight:bold;margin:0 0 0.3em 0">{esc(self.title_text)}</figcaption>')
        alt = self.alt_text or self.title_text
        parts.append(f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}" width="{width}" height="{height}" '
                     'style="display:block;max-width:100%;height:auto">')
        for note in (self.note_text, *self.notes):
            if note:
                parts.append(f'<p class="salto-figure-note" style="margin:0.2em 0;font-style:italic">{esc(note)}</p>')
        if self.data.rows:
            summary = esc(labels.t("plots.data.summary", self.lang))
            # a wide table scrolls inside its own box (focusable, so keyboard users can scroll it), never the page
            parts.append(f'<details class="salto-figure-data"><summary>{summary}</summary>'
                         f'<div class="salto-figure-scroll" role="group" aria-label="{summary}" tabindex="0" '
                         f'style="overflow-x:auto;max-width:100%">{self.data.to_html()}</div></details>')
        parts.append("</figure>")
        return "".join(parts)

    def css_size(self) -> tuple[int, int]:
        """Width and height of the figure in CSS pixels (the PNG has :data:`SCALE` times as many)."""
        width, height = (int(v) for v in self.get_size_inches() * self.dpi)
        return width, height

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_png_(self) -> bytes:
        return self.png(captions=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The figure as a notebook shows it: text/html (image, alt text, data table), the same PNG as
        image/png for front ends without HTML (shown at its CSS size), and the title and alt text as
        text/plain. Rendered once."""
        png = self.png(captions=False)
        plain = "\n".join(s for s in (self.title_text, self.alt_text) if s)
        width, height = self.css_size()
        data = {"text/html": self.to_html(png), "image/png": png, "text/plain": plain}
        return data, {"image/png": {"width": width, "height": height}}

    def _ipython_display_(self):
        # Shown through the bundle above only: IPython's inline backend would otherwise draw the
        # figure a second time for its own image/png (about 0.4 s a figure).
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        data["image/png"] = base64.b64encode(data["image/png"]).decode("ascii")
        display(data, raw=True, metadata=metadata)


def join_names(names: Sequence[str], lang: str) -> str:
    """``a, b og c`` / ``a, b and c``."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {labels.t('plots.alt.and', lang)} {names[-1]}"
