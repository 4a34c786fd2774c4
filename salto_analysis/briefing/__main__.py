"""``python -m salto_analysis.briefing``: the same as the ``salto-briefing`` command."""

import sys

from salto_analysis.briefing import main

if __name__ == "__main__":
    sys.exit(main())
