"""The yearly briefing: one command from data to reviewer HTML (issue 7).

``salto-briefing`` (or ``python -m salto_analysis.briefing``) runs every notebook
listed in ``notebooks/briefing.yml`` through papermill for a reporting year,
exports reviewer HTML with nbconvert, and writes an index page, provenance and
the published tables. The modules, by stage:

``config``      the briefing list (``notebooks/briefing.yml``)
``parameters``  notebook parameters: inspection, params files, type checks
``inputs``      the input files of a data folder, the synthetic marker, the latest year
``provenance``  run details: parameters, input hashes, versions, git commit, times
``runner``      papermill execution, parallel jobs, failure handling, atomic publishing
``kernel``      the kernel the notebooks run in and the papermill engine that starts it
``lock``        one run at a time per output folder
``startup``     slow imports the runner's own processes skip
``html``        nbconvert export to self-contained HTML with a table of contents
``index``       the index page
``publish``     the published tables (CSV and XLSX)
``records``     :func:`record`, the one call notebooks use to hand over a table
``cli``         the command line

Importing this package is cheap: it loads neither papermill nor nbconvert, so
notebooks can call :func:`record` freely.
"""

from __future__ import annotations

from salto_analysis.briefing.records import ENV_FLAG, MIMETYPE, record

__all__ = ["ENV_FLAG", "MIMETYPE", "record", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the ``salto-briefing`` command line (see ``salto-briefing --help``)."""
    from salto_analysis.briefing.cli import main as _main

    return _main(argv)
