"""Import-time work the runner's own processes skip (not the notebooks' kernels).

``nbformat``, which papermill and nbconvert use, imports ``jsonschema``, whose
format checkers import ``rfc3987_syntax`` when it is installed (it comes with
``jsonschema[format-nongpl]``, which ``jupyter_events``, part of JupyterLab,
requires). That package builds about 35 Lark parsers when imported: about 1.5 s
of CPU here, paid by the runner and again by every worker process before a
notebook starts (python-jsonschema/jsonschema#1428). The parsers check only the
JSON-schema formats ``iri`` and ``iri-reference``; the notebook format's schema
uses no ``format`` keyword, and nbformat validates without format checking.

:func:`skip_unused_imports` marks that module as unavailable
(``sys.modules[name] = None``, which makes ``import name`` raise
``ImportError``), so jsonschema leaves those two formats unchecked, exactly as
when the package is not installed. It changes nothing once jsonschema is
imported, and nothing in the kernels, which do not import jsonschema.
"""

from __future__ import annotations

import sys

__all__ = ["UNUSED_MODULES", "skip_unused_imports"]

#: Modules the runner never needs and that are slow to import.
UNUSED_MODULES = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Make :data:`UNUSED_MODULES` unimportable in this process, unless jsonschema is imported already."""
    if "jsonschema" in sys.modules:
        return
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)
