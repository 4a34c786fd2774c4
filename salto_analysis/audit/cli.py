"""``salto-briefing audit OUT [--previous PREV_OUT]``: audit a published briefing folder.

Exit status: 0 when nothing is exposed, 1 when something is (each exposed cell is
listed) or cannot be decided (the relations contradict the published numbers), 2 on a
bad argument or a folder that is not a published briefing (one-line error).
"""

from __future__ import annotations

import argparse
import sys

from .core import audit
from .published import AuditInputError

__all__ = ["build_parser", "main"]

PROG = "salto-briefing audit"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        raise AuditInputError(message)


def _int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description=(
        "Audit the published outputs of a briefing (tables/*.csv and tables/briefing.xlsx) as an attacker "
        "who reads all of them: for every withheld count, the interval it can be narrowed to with integer "
        "programming over every relation the tables publish. Exit 1 when anything is exposed."))
    p.add_argument("out", metavar="OUT", help="the briefing's output folder (holding tables/)")
    p.add_argument("--previous", metavar="PREV_OUT", help="the previous year's briefing folder, audited together")
    p.add_argument("--min-count", type=_int, metavar="N",
                   help="counts 1..N-1 are small (default: what the folder states)")
    p.add_argument("--protection", type=_int, metavar="P",
                   help="a withheld count narrower than P is exposed (default: min_count)")
    p.add_argument("--fast", action="store_true",
                   help="skip the exact interval of quantities already shown safe by integer solutions met on the "
                        "way (their interval is printed as [≤a, ≥b]); exposed ones are always exact")
    p.add_argument("--csv", metavar="FILE", help="also write every checked quantity with its interval to FILE")
    p.add_argument("--internal", metavar="FILE",
                   help="the briefing's internal codes file (withheld_codes.csv, kept beside OUT, never in it): "
                        "narrow intervals then count only for cells withheld to protect a small count")
    return p


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, run the audit, print the report; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if any(a in ("-h", "--help") for a in argv):
            build_parser().print_help()
            return 0
        args = build_parser().parse_args(argv)
        report = audit(args.out, args.previous, args.protection, min_count=args.min_count, exact=not args.fast,
                       internal=args.internal)
    except AuditInputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(report.text())
    if args.csv:
        report.to_frame().to_csv(args.csv, index=False)
    return 0 if report.ok else 1
