"""salto_analysis.briefing.startup: the runner's processes skip a slow, unused import."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from salto_analysis.briefing import runner  # a worker process starts with this import
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
nbformat.validate(nb)  # validation still works
try:
    nbformat.validate({"nbformat": 4})
except nbformat.ValidationError:
    print("invalid notebook refused")
print("rfc3987_syntax imported:", sys.modules.get("rfc3987_syntax") is not None)
"""


def test_a_worker_process_validates_notebooks_without_the_iri_parsers():
    proc = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=300)
    assert proc.stdout.splitlines() == ["invalid notebook refused", "rfc3987_syntax imported: False"]


def test_nothing_changes_once_jsonschema_is_imported():
    code = ("import sys, jsonschema\nfrom salto_analysis.briefing.startup import skip_unused_imports\n"
            "before = sys.modules.get('rfc3987_syntax', 'absent')\nskip_unused_imports()\n"
            "print(sys.modules.get('rfc3987_syntax', 'absent') is before)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert proc.stdout.strip() == "True"
