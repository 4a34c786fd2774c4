"""``python -m salto_analysis.synth``: write the synthetic sample data (see the package docstring)."""

from salto_analysis.synth import main

if __name__ == "__main__":
    raise SystemExit(main())
