"""Jinja2 rendering of the briefing's own HTML (index page, page header, run details).

Templates live in ``salto_analysis/templates/briefing/``. Every word comes from
:mod:`salto_analysis.labels` (the ``t`` global), and numbers are formatted for
the page's language: Norwegian with a decimal comma and a non-breaking space
as thousands separator, English with a point and a comma.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from salto_analysis import labels
from salto_analysis.formatting import SUPPRESSED, number

__all__ = ["TEMPLATES", "render_template", "format_duration", "stylesheet", "print_header_css"]

#: Folder of the briefing's templates (package data).
TEMPLATES = Path(str(resources.files("salto_analysis") / "templates" / "briefing"))

def format_duration(seconds: float, lang: str) -> str:
    """A duration in seconds, e.g. ``12,3 s`` (nb) or ``12.3 s`` (en)."""
    return labels.t("briefing.seconds", lang, value=number(seconds, 1, lang))


@cache
def _lab_css() -> str:
    """nbconvert's JupyterLab stylesheet without comments (they hold web addresses)."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    for base in TemplateExporter().template_paths:
        folder = Path(base) / "lab" / "static"
        if (folder / "index.css").is_file():
            css = (folder / "index.css").read_text(encoding="utf-8")
            css += (folder / "theme-light.css").read_text(encoding="utf-8")
            return re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    raise FileNotFoundError("nbconvert's lab template stylesheet (lab/static/index.css) was not found")


def stylesheet(*, lab: bool) -> str:
    """The CSS inlined into a page: the briefing's own, after JupyterLab's when ``lab``."""
    own = (TEMPLATES / "briefing.css").read_text(encoding="utf-8")
    return (_lab_css() + "\n" + own) if lab else own


def print_header_css(title: str, banner: str = "") -> str:
    """An ``@page`` rule that prints ``banner`` and ``title`` at the top of every printed page.

    CSS Paged Media margin boxes (``@top-left``), which Chromium prints since version 131;
    the page number is in ``briefing.css`` (``@bottom-right``). The text is a CSS string
    with every character escaped (``\\53 \\59 ...``): it cannot close the ``<style>`` element
    it sits in, and the page's source holds the banner's words once, in the banner.
    """
    text = " – ".join(t for t in (banner.split(" – ")[0] if banner else "", title) if t)

    def escape(value: str) -> str:
        return "".join(f"\\{ord(c):x} " for c in value)

    return ("@page { @top-left { content: \"" + escape(text) + "\"; font-size: 8pt; color: #5a3700; "
            "font-family: system-ui, sans-serif; } }")


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["t"] = labels.t
    env.globals["print_header_css"] = print_header_css
    env.filters["number"] = lambda value, lang, digits=1: number(value, digits, lang, missing=SUPPRESSED)
    env.filters["duration"] = format_duration
    return env


def render_template(name: str, **context) -> str:
    """Render template ``name`` from :data:`TEMPLATES` with ``context``."""
    return _environment().get_template(name).render(**context)
