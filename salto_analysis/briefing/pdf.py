"""``salto-briefing --pdf``: the published briefing printed to PDF with headless Chromium.

Politirådet's meeting papers are PDFs. After a run has published its folder, each
HTML page (the index first, then the pages in briefing order, then the appendix) is
printed by Chromium's own print path (``--print-to-pdf``, the command-line form of
the DevTools ``Page.printToPDF``) into ``<out>/pdf/<page>.pdf``. The pages' print
stylesheet decides the layout: A4, the banner and page title at the top of every
printed page and the page number at the bottom (CSS Paged Media margin boxes), folded
blocks unfolded, wide tables wrapped (``briefing.css``). Chromium writes tagged PDFs
(headings, tables, figures with their alt text) unless told not to.

Chromium is found as ``chromium`` or ``chromium-browser`` on the ``PATH`` (Debian:
``apt-get install -y chromium``). Without it, :func:`print_briefing` prints nothing
and returns a one-line reason; the HTML briefing is published either way. Chromium
runs offline: every host name resolves to nothing, with a fresh profile.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PDF_FOLDER", "PrintedPage", "find_chromium", "page_count", "print_page", "print_briefing"]

#: Folder of the PDFs inside the published briefing.
PDF_FOLDER = "pdf"

_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-extensions",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer", "--generate-pdf-document-outline")


@dataclass(frozen=True)
class PrintedPage:
    """One printed page of the briefing: the HTML file, its PDF and how many PDF pages it has."""

    html: Path
    pdf: Path
    pages: int


def find_chromium() -> str | None:
    """The Chromium executable on the ``PATH``, or ``None``."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: str | Path) -> int:
    """How many pages a PDF written by Chromium has: its ``/Type /Page`` objects (Chromium's PDF
    writer, Skia, writes the page objects uncompressed; ISO 32000-1 §7.7.3.3)."""
    return len(_PAGE_OBJECT.findall(Path(pdf).read_bytes()))


def print_page(chromium: str, html: Path, pdf: Path, timeout: int = 120) -> PrintedPage:
    """Print one HTML file to ``pdf`` with headless Chromium; raise ``RuntimeError`` naming the page on failure."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="salto-pdf-") as profile:
        proc = subprocess.run([chromium, *_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
                               html.resolve().as_uri()], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"Chromium could not print {html.name} to PDF (exit status {proc.returncode}): {last}")
    return PrintedPage(html, pdf, page_count(pdf))


def _order(out: Path) -> list[Path]:
    """The briefing's HTML files in reading order: the index, the pages, then the other files (the appendix)."""
    files = sorted(out.glob("*.html"))
    index = [f for f in files if f.name == "index.html"]
    pages = [f for f in files if re.match(r"\d", f.name)]
    return index + pages + [f for f in files if f not in index and f not in pages]


def print_briefing(out: str | Path, chromium: str | None = None) -> tuple[list[PrintedPage], str | None]:
    """Print every HTML page of the published briefing in ``out`` to ``out/pdf/``.

    Returns the printed pages and ``None``, or no pages and the one-line reason why
    nothing was printed (Chromium is not installed).
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        return [], ("Chromium is not installed, so no PDF was made (install it with: apt-get install -y chromium); "
                    "the HTML briefing is published")
    out = Path(out)
    return [print_page(chromium, html, out / PDF_FOLDER / f"{html.stem}.pdf") for html in _order(out)], None
