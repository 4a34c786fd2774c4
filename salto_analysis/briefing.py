"""The yearly briefing runner (placeholder until issue 7 lands).

Today it only checks that the package and its schemas load, and says so.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from salto_analysis import schemas

    names = ", ".join(schemas.SCHEMAS)
    print("salto-briefing: the briefing runner is not built yet (issue 7).")
    print(f"What exists and was checked: the package imports and defines the input schemas ({names}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
