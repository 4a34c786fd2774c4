"""salto_analysis.briefing.pdf: the page count of a PDF, and the message when Chromium is missing.

Printing itself needs Chromium and is tested in tests/test_browser.py (slow).
"""

from __future__ import annotations

from salto_analysis.briefing import pdf


def minimal_pdf(pages: int) -> bytes:
    """A PDF written by hand with ``pages`` empty pages (ISO 32000-1 §7.7.2-7.7.3: catalog, page tree, pages)."""
    kids = " ".join(f"{3 + k} 0 R" for k in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    body = b"%PDF-1.4\n" + b"".join(f"{k + 1} 0 obj\n".encode() + o + b"\nendobj\n" for k, o in enumerate(objects))
    return body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def test_page_count_counts_page_objects_not_the_page_tree(tmp_path):
    for n in (1, 3, 12):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(minimal_pdf(n))
        assert pdf.page_count(path) == n


def test_without_chromium_nothing_is_printed_and_the_reason_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    printed, reason = pdf.print_briefing(tmp_path)
    assert printed == [] and "\n" not in reason
    assert "Chromium is not installed" in reason and "apt-get install -y chromium" in reason
    assert not (tmp_path / pdf.PDF_FOLDER).exists()


def test_reading_order_is_index_pages_appendix(tmp_path):
    for name in ("flagged.html", "01_b.html", "index.html", "00_a.html"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in pdf._order(tmp_path)] == ["index.html", "00_a.html", "01_b.html", "flagged.html"]
