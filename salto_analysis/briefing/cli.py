"""The ``salto-briefing`` command line (also ``python -m salto_analysis.briefing``).

Exit status: 0 when the briefing was published; 1 when a notebook failed, the
output folder could not be written or an input file changed during the run
(the previous briefing is left as it was); 2 when an option, a parameter, the
briefing list or the data folder is wrong, the output folder is read-only or
another run is writing into it (nothing was run); 130 or 143 when the run was
stopped by SIGINT (Ctrl-C) or SIGTERM (nothing was published).
"""

from __future__ import annotations

import argparse
import subprocess
import sys

__all__ = ["build_parser", "main"]

DESCRIPTION = """\
Run the yearly SaLTo briefing: execute every notebook listed in
notebooks/briefing.yml for one reporting year, and publish reviewer HTML pages,
an index page and the published tables (CSV and Excel) into one folder.

Parameters are checked against what each notebook declares before anything
runs. If a notebook fails, the command exits with status 1, prints the failing
cell and keeps the failed notebook in <out>/_failed/; the previous complete
briefing in <out> is left as it was. The same holds when the run is interrupted
(Ctrl-C), the output folder fills up, or an input file changes during the run.
One run at a time may write into an output folder.

Exit status: 0 published; 1 a notebook failed, the output could not be written
or an input changed; 2 nothing was run (bad option, parameter, list or data
folder; read-only output; another run writing into it); 130/143 interrupted.
"""

EPILOG = """\
examples:
  salto-briefing                                   # sample data, latest year
  salto-briefing --year 2025 --data-dir /secure/salto/2025 --params params/2025.yaml
  salto-briefing --only 00_data_quality --lang en  # one page, in English
  salto-briefing --pdf                             # and PDFs of every page in <out>/pdf/

Params files (YAML) hold parameter values: top-level keys go to every notebook
that declares them, and a "notebooks:" mapping gives values for one notebook.
See params/example.yaml.
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its ``--help`` explains every option)."""
    p = argparse.ArgumentParser(
        prog="salto-briefing", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, metavar="YEAR",
                   help="reporting year (default: the latest year with registrations in the data)")
    p.add_argument("--data-dir", metavar="DIR",
                   help="folder holding the input files register.*, population.* and survey.* "
                        "(default: data/sample, the synthetic sample)")
    p.add_argument("--out", metavar="DIR",
                   help="folder to publish the briefing into; it is replaced as a whole when the run "
                        "succeeds (default: reports/<year>)")
    p.add_argument("--params", action="append", default=[], metavar="FILE.yaml",
                   help="YAML file with parameter values; give it several times, later files override earlier ones")
    p.add_argument("--lang", choices=("nb", "en"),
                   help="language of the pages: nb = Norwegian bokmål (default), en = English")
    p.add_argument("--jobs", type=_positive_int, metavar="N",
                   help="how many notebooks run at the same time (default: the number of cores, "
                        "at most the number of notebooks)")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="run only these notebooks (names as in notebooks/briefing.yml, without .ipynb)")
    p.add_argument("--timeout", type=_positive_int, default=600, metavar="SECONDS",
                   help="stop a notebook whose single cell runs longer than this (default: 600)")
    p.add_argument("--start-timeout", type=_positive_int, default=120, metavar="SECONDS",
                   help="give up when a notebook's Python kernel has not started after this long (default: 120)")
    p.add_argument("--briefing", metavar="FILE.yml",
                   help="the list of notebooks to run (default: notebooks/briefing.yml)")
    p.add_argument("--previous", metavar="PREV_OUT",
                   help="last year's published briefing: the disclosure audit reads it together with this one, so "
                        "that the two cannot be differenced (default: the folder of the year before beside --out, "
                        "when it holds a briefing)")
    p.add_argument("--no-previous", action="store_true", help="audit this briefing on its own")
    p.add_argument("--pdf", action="store_true",
                   help="also print the index and every page to PDF in <out>/pdf/ with headless Chromium "
                        "(when Chromium is installed)")
    return p


def _print_pdfs(out) -> None:
    """Print the published briefing to PDF (:mod:`salto_analysis.briefing.pdf`) and say what was made."""
    from salto_analysis.briefing.pdf import print_briefing

    try:
        printed, reason = print_briefing(out)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"salto-briefing: --pdf: {exc}; the HTML briefing is published", file=sys.stderr)
        return
    if reason:
        print(f"salto-briefing: --pdf: {reason}", file=sys.stderr)
        return
    listing = ", ".join(f"{p.pdf.name} {p.pages}" for p in printed)
    print(f"salto-briefing: PDF pages: {listing} -> {printed[0].pdf.parent}")


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, check the plan, run it; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "audit":  # salto-briefing audit OUT [--previous PREV_OUT]
        from salto_analysis.audit import main as audit_main
        return audit_main(argv[1:])
    args = build_parser().parse_args(argv)
    from salto_analysis.briefing.startup import skip_unused_imports

    skip_unused_imports()
    from salto_analysis.briefing.config import BriefingError
    from salto_analysis.briefing.plan import Options, prepare

    options = Options(
        year=args.year, data_dir=args.data_dir, out=args.out, params=args.params, lang=args.lang,
        jobs=args.jobs, only=args.only, timeout=args.timeout, start_timeout=args.start_timeout,
        briefing=args.briefing, previous=args.previous, no_previous=args.no_previous,
    )
    try:
        plan = prepare(options)
    except BriefingError as exc:
        print(f"salto-briefing: error: {exc}", file=sys.stderr)
        print("salto-briefing: nothing was run.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while checking: nothing was written yet
        print("salto-briefing: INTERRUPTED while checking the plan; nothing was run.", file=sys.stderr)
        return 130
    from salto_analysis.briefing.runner import run

    status = run(plan)
    if status == 0 and args.pdf:
        _print_pdfs(plan.out)
    return status


if __name__ == "__main__":
    sys.exit(main())
