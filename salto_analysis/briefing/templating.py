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

__all__ = ["TEMPLATES", "render_template", "format_duration", "stylesheet"]

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
    env.filters["number"] = lambda value, lang, digits=1: number(value, digits, lang, missing=SUPPRESSED)
    env.filters["duration"] = format_duration
    return env


def render_template(name: str, **context) -> str:
    """Render template ``name`` from :data:`TEMPLATES` with ``context``."""
    return _environment().get_template(name).render(**context)
